package main

// Tilt's Tiltfile API as documented, one signature per builtin: names, parameter order (for
// positional arguments), which are required, and the types each accepts. Every signature is
// taken from the Tiltfile API reference, https://docs.tilt.dev/api.html (the page is generated
// from api/api/__init__.py, api/api/os/*.py and api/api/config/__init__.py of tilt-dev/tilt.build);
// the anchor of each function is https://docs.tilt.dev/api.html#api.<name> (#modules.os.path.<name>,
// #modules.config.<name> for the modules). The live_update step rules come from
// https://docs.tilt.dev/live_update_reference.html.
//
// Type expressions: str, int, bool, None, blob, step (a LiveUpdateStep), port_forward, link,
// probe, trigger_mode, any, list[T], dict[str,str], dict, and alternatives joined by '|'.

type param struct {
	name     string
	typ      string
	required bool
}

type signature struct {
	params []param
	// Extra positional arguments (load's symbol names).
	varargs string
}

func req(name, typ string) param { return param{name: name, typ: typ, required: true} }
func opt(name, typ string) param { return param{name: name, typ: typ} }

const (
	strOrList   = "str|list[str]"
	liveUpdate  = "list[step]"
	links       = "str|link|list[str|link]"
	portForward = "str|int|port_forward|list[str|int|port_forward]"
)

// tiltAPI holds the top-level builtins (https://docs.tilt.dev/api.html#functions).
var tiltAPI = map[string]signature{
	// https://docs.tilt.dev/api.html#api.allow_k8s_contexts
	"allow_k8s_contexts": {params: []param{req("contexts", strOrList)}},
	// https://docs.tilt.dev/api.html#api.analytics_settings
	"analytics_settings": {params: []param{req("enable", "bool")}},
	// https://docs.tilt.dev/api.html#api.blob
	"blob": {params: []param{req("contents", "str")}},
	// https://docs.tilt.dev/api.html#api.ci_settings
	"ci_settings": {params: []param{opt("k8s_grace_period", "str"), opt("timeout", "str"), opt("readiness_timeout", "str")}},
	// https://docs.tilt.dev/api.html#api.custom_build
	"custom_build": {params: []param{
		req("ref", "str"), req("command", strOrList), req("deps", "list[str]"), opt("tag", "str"),
		opt("disable_push", "bool"), opt("skips_local_docker", "bool"), opt("live_update", liveUpdate),
		opt("match_in_env_vars", "bool"), opt("ignore", strOrList), opt("entrypoint", strOrList),
		opt("command_bat_val", "str"), opt("outputs_image_ref_to", "str"), opt("command_bat", strOrList),
		opt("image_deps", "list[str]"), opt("env", "dict[str,str]"), opt("dir", "str"),
	}},
	// https://docs.tilt.dev/api.html#api.dc_resource
	"dc_resource": {params: []param{
		req("name", "str"), opt("trigger_mode", "trigger_mode"), opt("resource_deps", "list[str]"),
		opt("links", links), opt("labels", strOrList), opt("auto_init", "bool"), opt("project_name", "str"),
		opt("new_name", "str"), opt("infer_links", "bool"),
	}},
	// https://docs.tilt.dev/api.html#api.decode_json
	"decode_json": {params: []param{req("json", "str|blob")}},
	// https://docs.tilt.dev/api.html#api.decode_yaml
	"decode_yaml": {params: []param{req("yaml", "str|blob")}},
	// https://docs.tilt.dev/api.html#api.default_registry
	"default_registry": {params: []param{req("host", "str"), opt("host_from_cluster", "str|None"), opt("single_name", "str")}},
	// https://docs.tilt.dev/api.html#api.disable_snapshots
	"disable_snapshots": {},
	// https://docs.tilt.dev/api.html#api.docker_build
	"docker_build": {params: []param{
		req("ref", "str"), req("context", "str"), opt("build_args", "dict[str,str]"), opt("dockerfile", "str"),
		opt("dockerfile_contents", "str|blob"), opt("live_update", liveUpdate), opt("match_in_env_vars", "bool"),
		opt("ignore", strOrList), opt("only", strOrList), opt("entrypoint", strOrList), opt("target", "str"),
		opt("ssh", strOrList), opt("network", "str"), opt("secret", strOrList), opt("extra_tag", strOrList),
		opt("container_args", "list[str]|None"), opt("cache_from", strOrList), opt("pull", "bool"),
		opt("platform", "str"), opt("extra_hosts", strOrList),
	}},
	// https://docs.tilt.dev/api.html#api.docker_prune_settings
	"docker_prune_settings": {params: []param{
		opt("disable", "bool"), opt("max_age_mins", "int"), opt("num_builds", "int"), opt("interval_hrs", "int"),
		opt("keep_recent", "int"),
	}},
	// https://docs.tilt.dev/api.html#api.enable_feature
	"enable_feature": {params: []param{req("feature_name", "str")}},
	// https://docs.tilt.dev/api.html#api.encode_json
	"encode_json": {params: []param{req("obj", "any")}},
	// https://docs.tilt.dev/api.html#api.encode_yaml
	"encode_yaml": {params: []param{req("obj", "any")}},
	// https://docs.tilt.dev/api.html#api.fail
	"fail": {params: []param{req("msg", "str")}},
	// https://docs.tilt.dev/api.html#api.fall_back_on
	"fall_back_on": {params: []param{req("files", strOrList)}},
	// https://docs.tilt.dev/api.html#api.helm
	"helm": {params: []param{
		req("pathToChartDir", "str"), opt("name", "str"), opt("namespace", "str"), opt("values", strOrList),
		opt("set", strOrList), opt("kube_version", "str"), opt("skip_crds", "bool"),
	}},
	// https://docs.tilt.dev/api.html#api.initial_sync
	"initial_sync": {},
	// https://docs.tilt.dev/api.html#api.k8s_context
	"k8s_context": {},
	// https://docs.tilt.dev/api.html#api.k8s_namespace
	"k8s_namespace": {},
	// https://docs.tilt.dev/api.html#api.k8s_resource
	"k8s_resource": {params: []param{
		opt("workload", "str"), opt("new_name", "str"), opt("port_forwards", portForward),
		opt("extra_pod_selectors", "dict[str,str]|list[dict[str,str]]"), opt("trigger_mode", "trigger_mode"),
		opt("resource_deps", "list[str]"), opt("objects", "list[str]"), opt("auto_init", "bool"),
		opt("pod_readiness", "str"), opt("links", links), opt("labels", strOrList), opt("discovery_strategy", "str"),
	}},
	// https://docs.tilt.dev/api.html#api.k8s_yaml
	"k8s_yaml": {params: []param{req("yaml", "str|list[str]|blob"), opt("allow_duplicates", "bool")}},
	// https://docs.tilt.dev/api.html#api.link
	"link": {params: []param{req("url", "str"), opt("name", "str|None")}},
	// https://docs.tilt.dev/api.html#api.listdir
	"listdir": {params: []param{req("directory", "str"), opt("recursive", "bool")}},
	// https://docs.tilt.dev/api.html#api.local
	"local": {params: []param{
		req("command", strOrList), opt("quiet", "bool"), opt("command_bat", strOrList), opt("echo_off", "bool"),
		opt("env", "dict[str,str]"), opt("dir", "str"), opt("stdin", "str|blob|None"),
	}},
	// https://docs.tilt.dev/api.html#api.local_resource
	"local_resource": {params: []param{
		req("name", "str"), req("cmd", strOrList), opt("deps", "str|list[str]|None"), opt("trigger_mode", "trigger_mode"),
		opt("resource_deps", "list[str]"), opt("ignore", strOrList), opt("auto_init", "bool"),
		opt("serve_cmd", strOrList), opt("cmd_bat", strOrList), opt("serve_cmd_bat", strOrList),
		opt("allow_parallel", "bool"), opt("links", links), opt("labels", strOrList), opt("env", "dict[str,str]"),
		opt("serve_env", "dict[str,str]"), opt("readiness_probe", "probe|None"), opt("dir", "str"), opt("serve_dir", "str"),
	}},
	// https://docs.tilt.dev/api.html#api.port_forward
	"port_forward": {params: []param{
		req("local_port", "int"), opt("container_port", "int|None"), opt("name", "str|None"),
		opt("link_path", "str|None"), opt("host", "str|None"),
	}},
	// https://docs.tilt.dev/api.html#api.read_file
	"read_file": {params: []param{req("file_path", "str"), opt("default", "str|None")}},
	// https://docs.tilt.dev/api.html#api.read_json
	"read_json": {params: []param{req("path", "str"), opt("default", "any")}},
	// https://docs.tilt.dev/api.html#api.read_yaml
	"read_yaml": {params: []param{req("path", "str"), opt("default", "any")}},
	// https://docs.tilt.dev/api.html#api.restart_container
	"restart_container": {},
	// https://docs.tilt.dev/api.html#api.run
	"run": {params: []param{req("cmd", strOrList), opt("trigger", strOrList), opt("echo_off", "bool")}},
	// https://docs.tilt.dev/api.html#api.secret_settings
	"secret_settings": {params: []param{opt("disable_scrub", "bool")}},
	// https://docs.tilt.dev/api.html#api.set_team
	"set_team": {params: []param{req("team_id", "str")}},
	// https://docs.tilt.dev/api.html#api.sync
	"sync": {params: []param{req("local_path", "str"), req("remote_path", "str")}},
	// https://docs.tilt.dev/api.html#api.update_settings
	"update_settings": {params: []param{
		opt("max_parallel_updates", "int"), opt("k8s_upsert_timeout_secs", "int"),
		opt("suppress_unused_image_warnings", "str|list[str]|None"), opt("k8s_server_side_apply", "str"),
	}},
	// https://docs.tilt.dev/api.html#api.version_settings
	"version_settings": {params: []param{opt("check_updates", "bool"), opt("constraint", "str")}},
	// https://docs.tilt.dev/api.html#api.warn
	"warn": {params: []param{req("msg", "str")}},
	// https://docs.tilt.dev/api.html#api.watch_file
	"watch_file": {params: []param{req("file_path", "str")}},
	// https://docs.tilt.dev/api.html#api.watch_settings
	"watch_settings": {params: []param{req("ignore", strOrList)}},
}

// osAPI is the os module (https://docs.tilt.dev/api.html#modules.os) and os.path
// (https://docs.tilt.dev/api.html#modules.os.path).
var osAPI = map[string]signature{
	"getcwd":   {},
	"getenv":   {params: []param{req("key", "str"), opt("default", "any")}},
	"putenv":   {params: []param{req("key", "str"), req("value", "str")}},
	"unsetenv": {params: []param{req("key", "str")}},
}

var osPathAPI = map[string]signature{
	"abspath":  {params: []param{req("path", "str")}},
	"basename": {params: []param{req("path", "str")}},
	"dirname":  {params: []param{req("path", "str")}},
	"exists":   {params: []param{req("path", "str")}},
	"join":     {params: []param{req("path", "str")}, varargs: "str"},
	"realpath": {params: []param{req("path", "str")}},
	"relpath":  {params: []param{req("targpath", "str"), opt("basepath", "str")}},
}

// configAPI is the config module (https://docs.tilt.dev/api.html#modules.config; usage in
// https://docs.tilt.dev/tiltfile_config.html).
var configAPI = map[string]signature{
	"define_bool":             {params: []param{req("name", "str"), opt("args", "bool"), opt("usage", "str")}},
	"define_string":           {params: []param{req("name", "str"), opt("args", "bool"), opt("usage", "str")}},
	"define_string_list":      {params: []param{req("name", "str"), opt("args", "bool"), opt("usage", "str")}},
	"parse":                   {},
	"set_enabled_resources":   {params: []param{req("resources", "list[str]")}},
	"clear_enabled_resources": {},
}
