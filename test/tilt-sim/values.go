package main

import (
	"fmt"
	"sort"
	"strings"

	"go.starlark.net/starlark"
)

// bind matches a call's positional and keyword arguments to the documented parameters as Python
// would, and checks each value's type: an unknown keyword, a repeated or missing argument, or a
// value the documentation does not allow is an error naming the function and the parameter.
func bind(function string, sig signature, positional starlark.Tuple, kwargs []starlark.Tuple) (map[string]starlark.Value, []starlark.Value, error) {
	bound := map[string]starlark.Value{}
	var rest []starlark.Value
	for i, value := range positional {
		if i >= len(sig.params) {
			if sig.varargs == "" {
				return nil, nil, fmt.Errorf("%s: takes at most %d positional arguments (%d given)", function, len(sig.params), len(positional))
			}
			if !hasType(value, sig.varargs) {
				return nil, nil, fmt.Errorf("%s: positional argument %d is %s, want %s", function, i+1, value.Type(), sig.varargs)
			}
			rest = append(rest, value)
			continue
		}
		bound[sig.params[i].name] = value
	}
	for _, kv := range kwargs {
		name := string(kv[0].(starlark.String))
		if !hasParam(sig, name) {
			return nil, nil, fmt.Errorf("%s: unexpected keyword argument %q (the documented parameters are %s)", function, name, paramNames(sig))
		}
		if _, dup := bound[name]; dup {
			return nil, nil, fmt.Errorf("%s: got multiple values for argument %q", function, name)
		}
		bound[name] = kv[1]
	}
	for _, p := range sig.params {
		value, ok := bound[p.name]
		if !ok {
			if p.required {
				return nil, nil, fmt.Errorf("%s: missing argument %q", function, p.name)
			}
			continue
		}
		if !hasType(value, p.typ) {
			return nil, nil, fmt.Errorf("%s: argument %q is %s (%s), want %s", function, p.name, value.Type(), value.String(), p.typ)
		}
	}
	return bound, rest, nil
}

func hasParam(sig signature, name string) bool {
	for _, p := range sig.params {
		if p.name == name {
			return true
		}
	}
	return false
}

func paramNames(sig signature) string {
	names := make([]string, 0, len(sig.params))
	for _, p := range sig.params {
		names = append(names, p.name)
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// splitAlternatives splits "a|list[b|c]" at the top-level bars.
func splitAlternatives(typ string) []string {
	var parts []string
	depth, start := 0, 0
	for i, c := range typ {
		switch c {
		case '[':
			depth++
		case ']':
			depth--
		case '|':
			if depth == 0 {
				parts = append(parts, typ[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, typ[start:])
}

func hasType(v starlark.Value, typ string) bool {
	for _, alt := range splitAlternatives(typ) {
		if hasOneType(v, alt) {
			return true
		}
	}
	return false
}

func hasOneType(v starlark.Value, typ string) bool {
	if inner, ok := strings.CutPrefix(typ, "list["); ok {
		inner = strings.TrimSuffix(inner, "]")
		var elems []starlark.Value
		switch seq := v.(type) {
		case *starlark.List:
			for i := 0; i < seq.Len(); i++ {
				elems = append(elems, seq.Index(i))
			}
		case starlark.Tuple:
			elems = seq
		default:
			return false
		}
		for _, e := range elems {
			if !hasType(e, inner) {
				return false
			}
		}
		return true
	}
	switch typ {
	case "any":
		return true
	case "None":
		return v == starlark.None
	case "str":
		_, ok := v.(starlark.String)
		return ok
	case "int":
		_, ok := v.(starlark.Int)
		return ok
	case "bool":
		_, ok := v.(starlark.Bool)
		return ok
	case "blob":
		_, ok := v.(*blob)
		return ok
	case "step":
		_, ok := v.(*liveUpdateStep)
		return ok
	case "port_forward":
		_, ok := v.(*portForwardValue)
		return ok
	case "link":
		_, ok := v.(*linkValue)
		return ok
	case "trigger_mode":
		_, ok := v.(triggerMode)
		return ok
	case "probe":
		return false // probe() is not simulated; a Tiltfile that uses it fails here
	case "dict":
		_, ok := v.(*starlark.Dict)
		return ok
	case "dict[str,str]":
		d, ok := v.(*starlark.Dict)
		if !ok {
			return false
		}
		for _, item := range d.Items() {
			if !hasOneType(item[0], "str") || !hasOneType(item[1], "str") {
				return false
			}
		}
		return true
	}
	panic("unknown type expression in api.go: " + typ)
}

// blob is Tilt's Blob: text from read_file/local/blob, or a helm() render (by index).
type blob struct {
	text   string
	source string
	helm   int
}

func (b *blob) String() string {
	if b.source == "helm" {
		return fmt.Sprintf("<helm render %d>", b.helm)
	}
	return b.text
}
func (b *blob) Type() string          { return "blob" }
func (b *blob) Freeze()               {}
func (b *blob) Truth() starlark.Bool  { return true }
func (b *blob) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: blob") }

type liveUpdateStep struct{ fields map[string]any }

func (s *liveUpdateStep) String() string        { return fmt.Sprintf("%s(%v)", s.fields["step"], s.fields) }
func (s *liveUpdateStep) Type() string          { return "live_update_step" }
func (s *liveUpdateStep) Freeze()               {}
func (s *liveUpdateStep) Truth() starlark.Bool  { return true }
func (s *liveUpdateStep) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: live_update_step") }

type portForwardValue struct{ fields map[string]any }

func (p *portForwardValue) String() string        { return fmt.Sprintf("port_forward(%v)", p.fields) }
func (p *portForwardValue) Type() string          { return "PortForward" }
func (p *portForwardValue) Freeze()               {}
func (p *portForwardValue) Truth() starlark.Bool  { return true }
func (p *portForwardValue) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: PortForward") }

type linkValue struct{ fields map[string]any }

func (l *linkValue) String() string        { return fmt.Sprintf("link(%v)", l.fields) }
func (l *linkValue) Type() string          { return "Link" }
func (l *linkValue) Freeze()               {}
func (l *linkValue) Truth() starlark.Bool  { return true }
func (l *linkValue) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: Link") }

type triggerMode int

func (t triggerMode) String() string {
	return [...]string{"TRIGGER_MODE_AUTO", "TRIGGER_MODE_MANUAL"}[t]
}
func (t triggerMode) Type() string          { return "TriggerMode" }
func (t triggerMode) Freeze()               {}
func (t triggerMode) Truth() starlark.Bool  { return true }
func (t triggerMode) Hash() (uint32, error) { return uint32(t), nil }

func str(v starlark.Value) string {
	if s, ok := v.(starlark.String); ok {
		return string(s)
	}
	if b, ok := v.(*blob); ok {
		return b.String()
	}
	if v == nil {
		return ""
	}
	return v.String()
}

// strings1 reads a str-or-list-of-str argument (absent or None: empty).
func strings1(v starlark.Value) []string {
	switch x := v.(type) {
	case nil:
		return []string{}
	case starlark.String:
		return []string{string(x)}
	case *starlark.List:
		out := make([]string, 0, x.Len())
		for i := 0; i < x.Len(); i++ {
			out = append(out, str(x.Index(i)))
		}
		return out
	case starlark.Tuple:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, str(e))
		}
		return out
	}
	return []string{}
}

func bindings(a map[string]starlark.Value) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = toJSON(v)
	}
	return out
}

func toJSON(v starlark.Value) any {
	switch x := v.(type) {
	case starlark.NoneType:
		return nil
	case starlark.Bool:
		return bool(x)
	case starlark.Int:
		n, _ := x.Int64()
		return n
	case starlark.Float:
		return float64(x)
	case starlark.String:
		return string(x)
	case *starlark.List:
		out := make([]any, 0, x.Len())
		for i := 0; i < x.Len(); i++ {
			out = append(out, toJSON(x.Index(i)))
		}
		return out
	case starlark.Tuple:
		out := make([]any, 0, len(x))
		for _, e := range x {
			out = append(out, toJSON(e))
		}
		return out
	case *starlark.Dict:
		out := map[string]any{}
		for _, item := range x.Items() {
			out[str(item[0])] = toJSON(item[1])
		}
		return out
	case *liveUpdateStep:
		return x.fields
	case *portForwardValue:
		return x.fields
	case *linkValue:
		return x.fields
	case *blob:
		if x.source == "helm" {
			return map[string]any{"helm": x.helm}
		}
		return x.text
	}
	return v.String()
}

func fromJSON(v any) starlark.Value {
	switch x := v.(type) {
	case nil:
		return starlark.None
	case bool:
		return starlark.Bool(x)
	case string:
		return starlark.String(x)
	case []string:
		out := make([]starlark.Value, 0, len(x))
		for _, e := range x {
			out = append(out, starlark.String(e))
		}
		return starlark.NewList(out)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		d := starlark.NewDict(len(x))
		for _, k := range keys {
			_ = d.SetKey(starlark.String(k), fromJSON(x[k]))
		}
		return d
	}
	return starlark.String(fmt.Sprint(v))
}
