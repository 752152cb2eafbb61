// Command tilt-sim evaluates a Tiltfile the way `tilt up` loads it, with a real Starlark
// interpreter (go.starlark.net, the one Tilt embeds) and Tilt's builtins bound to recorders, and
// prints what the Tiltfile declared as JSON: images and their live_update steps, Kubernetes YAML
// and helm renders, resources with their port forwards and dependencies, local commands.
//
// Tilt itself cannot be installed on the machines this project is built on, so this is a
// simulation of Tilt's load step only. Every call is checked against Tilt's documented API
// (api.go): an unknown builtin, an unknown keyword, a missing argument or a value of the wrong
// type fails the run, as would the rules Tilt applies while loading (live_update step order,
// sync paths inside the build context, every step used, k8s contexts allowed). Nothing is built,
// rendered or deployed: `local` commands are recorded, not run; `helm` calls are recorded for
// the caller to render.
//
//	go run . -tiltfile ../../Tiltfile -context kind-expe [-- <Tiltfile args>]
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"
)

func main() {
	tiltfile := flag.String("tiltfile", "Tiltfile", "the Tiltfile to evaluate")
	context := flag.String("context", "kind-expe", "what k8s_context() returns (the kube context Tilt would run against)")
	namespace := flag.String("namespace", "default", "what k8s_namespace() returns")
	flag.Parse()

	result, err := evaluate(*tiltfile, *context, *namespace, flag.Args())
	if err != nil {
		var evalErr *starlark.EvalError
		if errors.As(err, &evalErr) {
			fmt.Fprintln(os.Stderr, evalErr.Backtrace())
		} else {
			fmt.Fprintln(os.Stderr, err)
		}
		os.Exit(1)
	}
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", "  ")
	if err := out.Encode(result); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// evaluate runs the Tiltfile and applies the checks Tilt makes once it has loaded.
func evaluate(tiltfile, context, namespace string, args []string) (*Result, error) {
	path, err := filepath.Abs(tiltfile)
	if err != nil {
		return nil, err
	}
	source, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sim := newSimulator(filepath.Dir(path), context, namespace, args)
	thread := &starlark.Thread{
		Name:  "tiltfile",
		Print: func(_ *starlark.Thread, msg string) { sim.result.Printed = append(sim.result.Printed, msg) },
		Load: func(_ *starlark.Thread, module string) (starlark.StringDict, error) {
			// Extensions (load('ext://…')) and other files are not simulated: say so rather than
			// pretend. Add them here when the Tiltfile starts using one.
			return nil, fmt.Errorf("load(%q) is not simulated: add the module to test/tilt-sim", module)
		},
	}
	// Tilt's Starlark dialect: top-level for/if, while, set(), reassigned globals, recursion.
	options := &syntax.FileOptions{Set: true, While: true, TopLevelControl: true, GlobalReassign: true, Recursion: true}
	if _, err := starlark.ExecFileOptions(options, thread, path, source, sim.predeclared()); err != nil {
		return nil, err
	}
	if err := sim.validate(); err != nil {
		return nil, err
	}
	return sim.result, nil
}

// Result is what the Tiltfile declared, in the order it declared it. Paths are relative to the
// Tiltfile's directory.
type Result struct {
	Context          string           `json:"context"`
	Args             []string         `json:"args"`
	Config           map[string]any   `json:"config"`
	AllowedContexts  []string         `json:"allowedContexts"`
	DefaultRegistry  map[string]any   `json:"defaultRegistry"`
	Images           []*Image         `json:"images"`
	K8sYaml          []YamlSource     `json:"k8sYaml"`
	Helm             []map[string]any `json:"helm"`
	K8sResources     []map[string]any `json:"k8sResources"`
	LocalResources   []map[string]any `json:"localResources"`
	LocalCommands    []map[string]any `json:"localCommands"`
	ReadFiles        []string         `json:"readFiles"`
	WatchedFiles     []string         `json:"watchedFiles"`
	PathsChecked     []string         `json:"pathsChecked"`
	Warnings         []string         `json:"warnings"`
	Printed          []string         `json:"printed"`
	Calls            []Call           `json:"calls"`
	usedSteps        map[*liveUpdateStep]bool
	allSteps         []*liveUpdateStep
	allowedContextOK bool
}

// Call is one builtin call with its arguments bound to parameter names.
type Call struct {
	Function string         `json:"function"`
	Position string         `json:"position"`
	Args     map[string]any `json:"args"`
}

// Image is a docker_build or custom_build.
type Image struct {
	Builder    string         `json:"builder"`
	Ref        string         `json:"ref"`
	Args       map[string]any `json:"args"`
	LiveUpdate []any          `json:"liveUpdate"`
}

// YamlSource is one argument of k8s_yaml: a file, or the output of a helm() call (by index).
type YamlSource struct {
	File string `json:"file,omitempty"`
	Helm *int   `json:"helm,omitempty"`
	Blob string `json:"blob,omitempty"`
}

type simulator struct {
	dir       string
	context   string
	namespace string
	args      []string
	result    *Result
	config    *configDefinitions
}

func newSimulator(dir, context, namespace string, args []string) *simulator {
	return &simulator{
		dir: dir, context: context, namespace: namespace, args: args,
		result: &Result{
			Context: context, Args: append([]string{}, args...), Config: map[string]any{},
			AllowedContexts: []string{}, Images: []*Image{}, K8sYaml: []YamlSource{}, Helm: []map[string]any{},
			K8sResources: []map[string]any{}, LocalResources: []map[string]any{}, LocalCommands: []map[string]any{},
			ReadFiles: []string{}, WatchedFiles: []string{}, PathsChecked: []string{}, Warnings: []string{},
			Printed: []string{}, Calls: []Call{}, usedSteps: map[*liveUpdateStep]bool{},
		},
		config: &configDefinitions{defs: map[string]string{}},
	}
}

// rel turns a path as the Tiltfile wrote it (relative to the Tiltfile, or absolute) into one
// relative to the Tiltfile's directory.
func (s *simulator) rel(path string) string {
	abs := path
	if !filepath.IsAbs(path) {
		abs = filepath.Join(s.dir, path)
	}
	if r, err := filepath.Rel(s.dir, abs); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return abs
}

func (s *simulator) abs(path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(s.dir, path)
}

// builtin wraps an implementation with the documented signature: arguments are bound and
// type-checked first, and the call is recorded.
func (s *simulator) builtin(qualified string, sig signature, impl func(thread *starlark.Thread, args map[string]starlark.Value, rest []starlark.Value) (starlark.Value, error)) *starlark.Builtin {
	return starlark.NewBuiltin(qualified, func(thread *starlark.Thread, b *starlark.Builtin, positional starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		bound, rest, err := bind(qualified, sig, positional, kwargs)
		if err != nil {
			return nil, err
		}
		recorded := map[string]any{}
		for name, value := range bound {
			recorded[name] = toJSON(value)
		}
		if len(rest) > 0 {
			recorded["*"] = toJSON(starlark.Tuple(rest))
		}
		s.result.Calls = append(s.result.Calls, Call{Function: qualified, Position: thread.CallFrame(1).Pos.String(), Args: recorded})
		if impl == nil {
			return starlark.None, nil
		}
		return impl(thread, bound, rest)
	})
}

func (s *simulator) predeclared() starlark.StringDict {
	impls := s.implementations()
	env := starlark.StringDict{
		"struct":              starlark.NewBuiltin("struct", starlarkstruct.Make),
		"TRIGGER_MODE_AUTO":   triggerMode(0),
		"TRIGGER_MODE_MANUAL": triggerMode(1),
	}
	for name, sig := range tiltAPI {
		env[name] = s.builtin(name, sig, impls[name])
	}
	osPath := starlark.StringDict{}
	for name, sig := range osPathAPI {
		osPath[name] = s.builtin("os.path."+name, sig, s.osPath(name))
	}
	osModule := starlark.StringDict{"path": &starlarkstruct.Module{Name: "os.path", Members: osPath}}
	for name, sig := range osAPI {
		osModule[name] = s.builtin("os."+name, sig, s.os(name))
	}
	environ := starlark.NewDict(len(os.Environ()))
	for _, entry := range os.Environ() {
		if key, value, ok := strings.Cut(entry, "="); ok {
			_ = environ.SetKey(starlark.String(key), starlark.String(value))
		}
	}
	osModule["environ"] = environ
	osModule["name"] = starlark.String("posix")
	env["os"] = &starlarkstruct.Module{Name: "os", Members: osModule}
	configModule := starlark.StringDict{}
	for name, sig := range configAPI {
		configModule[name] = s.builtin("config."+name, sig, s.configFunction(name))
	}
	configModule["tilt_subcommand"] = starlark.String("up")
	configModule["main_path"] = starlark.String(filepath.Join(s.dir, "Tiltfile"))
	configModule["main_dir"] = starlark.String(s.dir)
	env["config"] = &starlarkstruct.Module{Name: "config", Members: configModule}
	return env
}

type implementation = func(thread *starlark.Thread, args map[string]starlark.Value, rest []starlark.Value) (starlark.Value, error)

func (s *simulator) implementations() map[string]implementation {
	r := s.result
	return map[string]implementation{
		"allow_k8s_contexts": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			for _, context := range strings1(a["contexts"]) {
				r.AllowedContexts = append(r.AllowedContexts, context)
				if context == s.context {
					r.allowedContextOK = true
				}
			}
			return starlark.None, nil
		},
		"k8s_context": func(*starlark.Thread, map[string]starlark.Value, []starlark.Value) (starlark.Value, error) {
			return starlark.String(s.context), nil
		},
		"k8s_namespace": func(*starlark.Thread, map[string]starlark.Value, []starlark.Value) (starlark.Value, error) {
			return starlark.String(s.namespace), nil
		},
		"default_registry": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			r.DefaultRegistry = bindings(a)
			return starlark.None, nil
		},
		"fail": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			return nil, fmt.Errorf("fail(): %s", str(a["msg"]))
		},
		"warn": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			r.Warnings = append(r.Warnings, str(a["msg"]))
			return starlark.None, nil
		},
		"blob": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			return &blob{text: str(a["contents"])}, nil
		},
		"local": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			// Recorded, not run: the caller checks the command names something that exists.
			r.LocalCommands = append(r.LocalCommands, bindings(a))
			return &blob{text: "", source: "local"}, nil
		},
		"read_file": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			path := str(a["file_path"])
			r.ReadFiles = append(r.ReadFiles, s.rel(path))
			content, err := os.ReadFile(s.abs(path))
			if err != nil {
				if d, ok := a["default"]; ok && d != starlark.None {
					return &blob{text: str(d)}, nil
				}
				return nil, fmt.Errorf("read_file: %w", err)
			}
			return &blob{text: string(content)}, nil
		},
		"watch_file": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			r.WatchedFiles = append(r.WatchedFiles, s.rel(str(a["file_path"])))
			return starlark.None, nil
		},
		"listdir": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			// As Tilt: absolute paths of the files (not directories) in the directory, sorted.
			dir := s.abs(str(a["directory"]))
			r.PathsChecked = append(r.PathsChecked, s.rel(dir))
			recursive := a["recursive"] == starlark.True
			var files []starlark.Value
			err := filepath.WalkDir(dir, func(path string, entry os.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if entry.IsDir() {
					if path != dir && !recursive {
						return filepath.SkipDir
					}
					return nil
				}
				files = append(files, starlark.String(path))
				return nil
			})
			if err != nil {
				return nil, fmt.Errorf("listdir: %w", err)
			}
			return starlark.NewList(files), nil
		},
		"helm": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			call := bindings(a)
			call["pathToChartDir"] = s.rel(str(a["pathToChartDir"]))
			call["values"] = s.relAll(strings1(a["values"]))
			call["set"] = strings1(a["set"])
			index := len(r.Helm)
			r.Helm = append(r.Helm, call)
			return &blob{source: "helm", helm: index}, nil
		},
		"k8s_yaml": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			switch v := a["yaml"].(type) {
			case *blob:
				if v.source == "helm" {
					index := v.helm
					r.K8sYaml = append(r.K8sYaml, YamlSource{Helm: &index})
				} else {
					r.K8sYaml = append(r.K8sYaml, YamlSource{Blob: v.text})
				}
			default:
				for _, file := range strings1(v) {
					r.K8sYaml = append(r.K8sYaml, YamlSource{File: s.rel(file)})
				}
			}
			return starlark.None, nil
		},
		"docker_build": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			return starlark.None, s.image("docker_build", a)
		},
		"custom_build": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			return starlark.None, s.image("custom_build", a)
		},
		"k8s_resource": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			resource := bindings(a)
			if pf, ok := a["port_forwards"]; ok {
				forwards, err := portForwards(pf)
				if err != nil {
					return nil, fmt.Errorf("k8s_resource(%q): %w", str(a["workload"]), err)
				}
				resource["port_forwards"] = forwards
			}
			r.K8sResources = append(r.K8sResources, resource)
			return starlark.None, nil
		},
		"local_resource": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			resource := bindings(a)
			if deps, ok := a["deps"]; ok && deps != starlark.None {
				resource["deps"] = s.relAll(strings1(deps))
			}
			r.LocalResources = append(r.LocalResources, resource)
			return starlark.None, nil
		},
		"sync": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			return s.step(map[string]any{"step": "sync", "local_path": s.rel(str(a["local_path"])), "remote_path": str(a["remote_path"])}), nil
		},
		"run": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			step := map[string]any{"step": "run", "cmd": toJSON(a["cmd"]), "trigger": s.relAll(strings1(a["trigger"]))}
			return s.step(step), nil
		},
		"fall_back_on": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			return s.step(map[string]any{"step": "fall_back_on", "files": s.relAll(strings1(a["files"]))}), nil
		},
		"restart_container": func(*starlark.Thread, map[string]starlark.Value, []starlark.Value) (starlark.Value, error) {
			return s.step(map[string]any{"step": "restart_container"}), nil
		},
		"initial_sync": func(*starlark.Thread, map[string]starlark.Value, []starlark.Value) (starlark.Value, error) {
			return s.step(map[string]any{"step": "initial_sync"}), nil
		},
		"port_forward": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			return &portForwardValue{fields: bindings(a)}, nil
		},
		"link": func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			return &linkValue{fields: bindings(a)}, nil
		},
	}
}

func (s *simulator) relAll(paths []string) []string {
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		out = append(out, s.rel(p))
	}
	return out
}

func (s *simulator) step(fields map[string]any) *liveUpdateStep {
	step := &liveUpdateStep{fields: fields}
	s.result.allSteps = append(s.result.allSteps, step)
	return step
}

// image records a docker_build or custom_build and checks its live_update steps the way Tilt
// does (https://docs.tilt.dev/live_update_reference.html): in order initial_sync, fall_back_on,
// sync, run; sync targets absolute; synced paths inside what the build watches (the context,
// narrowed by only, for docker_build; deps for custom_build); restart_container only for Docker
// Compose resources, never Kubernetes ones.
func (s *simulator) image(builder string, a map[string]starlark.Value) error {
	ref := str(a["ref"])
	for _, existing := range s.result.Images {
		if existing.Ref == ref {
			return fmt.Errorf("%s: image %q is already built by a %s", builder, ref, existing.Builder)
		}
	}
	image := &Image{Builder: builder, Ref: ref, Args: bindings(a), LiveUpdate: []any{}}
	delete(image.Args, "live_update") // normalised into LiveUpdate
	var watched []string
	if builder == "docker_build" {
		image.Args["context"] = s.rel(str(a["context"]))
		if only := strings1(a["only"]); len(only) > 0 {
			for _, o := range only {
				watched = append(watched, s.rel(filepath.Join(str(a["context"]), o)))
			}
			image.Args["only"] = watched
		} else {
			watched = []string{s.rel(str(a["context"]))}
		}
		if dockerfile, ok := a["dockerfile"]; ok {
			image.Args["dockerfile"] = s.rel(str(dockerfile))
		}
	} else {
		watched = s.relAll(strings1(a["deps"]))
		image.Args["deps"] = watched
	}
	order := map[string]int{"initial_sync": 0, "fall_back_on": 1, "sync": 2, "run": 3}
	last := -1
	if steps, ok := a["live_update"].(*starlark.List); ok {
		for i := 0; i < steps.Len(); i++ {
			step := steps.Index(i).(*liveUpdateStep)
			s.result.usedSteps[step] = true
			kind := step.fields["step"].(string)
			if kind == "restart_container" {
				return fmt.Errorf("%s(%q): restart_container() is for Docker Compose resources only; Kubernetes ones restart their process another way (https://docs.tilt.dev/live_update_reference.html#restarting-your-process)", builder, ref)
			}
			if order[kind] < last {
				return fmt.Errorf("%s(%q): live_update step %d (%s) is out of order: initial_sync, then fall_back_on, then sync, then run", builder, ref, i, kind)
			}
			last = order[kind]
			if kind == "sync" {
				local, remote := step.fields["local_path"].(string), step.fields["remote_path"].(string)
				if !strings.HasPrefix(remote, "/") {
					return fmt.Errorf("%s(%q): sync(%q, %q): the remote path must be absolute", builder, ref, local, remote)
				}
				if !within(local, watched) {
					return fmt.Errorf("%s(%q): sync(%q, …) is outside what the build watches (%v)", builder, ref, local, watched)
				}
			}
			image.LiveUpdate = append(image.LiveUpdate, step.fields)
		}
	}
	s.result.Images = append(s.result.Images, image)
	return nil
}

// within reports whether path is one of roots or under one of them.
func within(path string, roots []string) bool {
	for _, root := range roots {
		if root == "." || path == root || strings.HasPrefix(path, root+"/") {
			return true
		}
	}
	return false
}

// validate applies the checks Tilt makes after loading.
func (s *simulator) validate() error {
	r := s.result
	for _, step := range r.allSteps {
		if !r.usedSteps[step] {
			return fmt.Errorf("a live_update step was created but used by no build: %v", step.fields)
		}
	}
	if !r.allowedContextOK && !isKnownLocalContext(s.context) {
		return fmt.Errorf("k8s context %q is not allowed by allow_k8s_contexts (%v): Tilt refuses to deploy to it", s.context, r.AllowedContexts)
	}
	if s.config.values != nil {
		r.Config = s.config.values
	}
	return nil
}

// isKnownLocalContext: contexts Tilt allows without allow_k8s_contexts
// (https://docs.tilt.dev/api.html#api.allow_k8s_contexts; kind's are named kind-<cluster>).
func isKnownLocalContext(context string) bool {
	for _, prefix := range []string{"kind-", "k3d-", "minikube", "docker-desktop", "docker-for-desktop", "microk8s", "crc-", "krucible-"} {
		if strings.HasPrefix(context, prefix) {
			return true
		}
	}
	return false
}

func (s *simulator) os(name string) implementation {
	switch name {
	case "getcwd":
		return func(*starlark.Thread, map[string]starlark.Value, []starlark.Value) (starlark.Value, error) {
			return starlark.String(s.dir), nil
		}
	case "getenv":
		return func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			if value, ok := os.LookupEnv(str(a["key"])); ok {
				return starlark.String(value), nil
			}
			if d, ok := a["default"]; ok {
				return d, nil
			}
			return starlark.None, nil
		}
	}
	return func(*starlark.Thread, map[string]starlark.Value, []starlark.Value) (starlark.Value, error) {
		return nil, fmt.Errorf("os.%s is not simulated", name)
	}
}

func (s *simulator) osPath(name string) implementation {
	return func(_ *starlark.Thread, a map[string]starlark.Value, rest []starlark.Value) (starlark.Value, error) {
		path := str(a["path"])
		switch name {
		case "exists":
			s.result.PathsChecked = append(s.result.PathsChecked, s.rel(path))
			_, err := os.Stat(s.abs(path))
			return starlark.Bool(err == nil), nil
		case "join":
			parts := []string{path}
			for _, p := range rest {
				parts = append(parts, str(p))
			}
			return starlark.String(filepath.Join(parts...)), nil
		case "basename":
			return starlark.String(filepath.Base(path)), nil
		case "dirname":
			return starlark.String(filepath.Dir(path)), nil
		case "abspath", "realpath":
			return starlark.String(s.abs(path)), nil
		case "relpath":
			base := s.dir
			if b, ok := a["basepath"]; ok {
				base = s.abs(str(b))
			}
			rel, err := filepath.Rel(base, s.abs(str(a["targpath"])))
			return starlark.String(rel), err
		}
		return nil, fmt.Errorf("os.path.%s is not simulated", name)
	}
}

// configDefinitions implements config.define_* and config.parse over the arguments after `--`
// (https://docs.tilt.dev/tiltfile_config.html): --name=value or --name value; a bool flag alone
// means true; a string_list flag may repeat; the one setting defined with args=True takes the
// positional arguments.
type configDefinitions struct {
	defs   map[string]string
	argsOf string
	values map[string]any
}

func (s *simulator) configFunction(name string) implementation {
	c := s.config
	define := func(kind string) implementation {
		return func(_ *starlark.Thread, a map[string]starlark.Value, _ []starlark.Value) (starlark.Value, error) {
			setting := str(a["name"])
			if _, exists := c.defs[setting]; exists {
				return nil, fmt.Errorf("config.define_%s: %q is already defined", kind, setting)
			}
			c.defs[setting] = kind
			if a["args"] == starlark.True {
				if c.argsOf != "" {
					return nil, fmt.Errorf("config.define_%s(%q, args=True): %q already takes the positional arguments", kind, setting, c.argsOf)
				}
				c.argsOf = setting
			}
			return starlark.None, nil
		}
	}
	switch name {
	case "define_string":
		return define("string")
	case "define_bool":
		return define("bool")
	case "define_string_list":
		return define("string_list")
	case "parse":
		return func(*starlark.Thread, map[string]starlark.Value, []starlark.Value) (starlark.Value, error) {
			values, err := c.parse(s.args)
			if err != nil {
				return nil, fmt.Errorf("config.parse: %w", err)
			}
			c.values = values
			dict := starlark.NewDict(len(values))
			keys := make([]string, 0, len(values))
			for k := range values {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				_ = dict.SetKey(starlark.String(k), fromJSON(values[k]))
			}
			return dict, nil
		}
	}
	return nil
}

func (c *configDefinitions) parse(args []string) (map[string]any, error) {
	values := map[string]any{}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if !strings.HasPrefix(arg, "--") {
			if c.argsOf == "" {
				return nil, fmt.Errorf("positional argument %q but no setting is defined with args=True", arg)
			}
			values[c.argsOf] = appendString(values[c.argsOf], arg)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(arg, "--"), "=")
		kind, ok := c.defs[name]
		if !ok {
			return nil, fmt.Errorf("unknown flag --%s (defined: %v)", name, c.defs)
		}
		if kind == "bool" {
			if !hasValue {
				values[name] = true
				continue
			}
			if value != "true" && value != "false" {
				return nil, fmt.Errorf("--%s=%s: not a bool", name, value)
			}
			values[name] = value == "true"
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return nil, fmt.Errorf("--%s needs a value", name)
			}
			i++
			value = args[i]
		}
		if kind == "string_list" {
			values[name] = appendString(values[name], value)
		} else {
			values[name] = value
		}
	}
	return values, nil
}

func appendString(existing any, value string) []string {
	list, _ := existing.([]string)
	return append(list, value)
}

// portForwards normalises k8s_resource's port_forwards (an int, "LOCAL:CONTAINER",
// "HOST:LOCAL:CONTAINER", "LOCAL", or port_forward()) into {local, container, host}.
func portForwards(v starlark.Value) ([]map[string]any, error) {
	var items []starlark.Value
	if list, ok := v.(*starlark.List); ok {
		for i := 0; i < list.Len(); i++ {
			items = append(items, list.Index(i))
		}
	} else {
		items = []starlark.Value{v}
	}
	out := []map[string]any{}
	for _, item := range items {
		switch pf := item.(type) {
		case starlark.Int:
			port, _ := pf.Int64()
			out = append(out, map[string]any{"local": port, "container": port})
		case starlark.String:
			parts := strings.Split(string(pf), ":")
			var forward map[string]any
			var ports []int
			for _, p := range parts[max(0, len(parts)-2):] {
				var n int
				if _, err := fmt.Sscanf(p, "%d", &n); err != nil || n <= 0 || n > 65535 || fmt.Sprint(n) != p {
					return nil, fmt.Errorf("port forward %q: %q is not a port", string(pf), p)
				}
				ports = append(ports, n)
			}
			switch len(parts) {
			case 1:
				forward = map[string]any{"local": ports[0], "container": ports[0]}
			case 2:
				forward = map[string]any{"local": ports[0], "container": ports[1]}
			case 3:
				forward = map[string]any{"host": parts[0], "local": ports[0], "container": ports[1]}
			default:
				return nil, fmt.Errorf("port forward %q: expected [HOST:]LOCAL[:CONTAINER]", string(pf))
			}
			out = append(out, forward)
		case *portForwardValue:
			forward := map[string]any{"local": pf.fields["local_port"], "container": pf.fields["local_port"]}
			if c, ok := pf.fields["container_port"]; ok && c != nil {
				forward["container"] = c
			}
			if h, ok := pf.fields["host"]; ok && h != nil {
				forward["host"] = h
			}
			out = append(out, forward)
		}
	}
	return out, nil
}
