package pgjson

import "testing"

// The expected texts are PostgreSQL 15's answers.
func TestJSONB(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"b":1, "a": [1,2], "aa": {"y":2,"x":1}}`, `{"a": [1, 2], "b": 1, "aa": {"x": 1, "y": 2}}`},
		{`{"a":1,"a":2}`, `{"a": 2}`},
		{`[1.50, 1e2, -0, 1.5e1, 12.5e-1, 1E-2, 0.0, -0.0, -1.5e+1]`, `[1.50, 100, 0, 15, 1.25, 0.01, 0.0, 0.0, -15]`},
		{`"a\u00e9\n\u0001/\""`, `"aé\n\u0001/\""`},
		{` { } `, `{}`},
		{`[]`, `[]`},
		{`"\ud83d\ude00"`, `"😀"`},
	} {
		got, err := JSONB(c.in)
		if err != nil || got != c.want {
			t.Errorf("JSONB(%s) = %s, %v; want %s", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{`{"a":}`, `[1,]`, `01`, `"\u0000"`, `{"a":1} x`, `tru`} {
		if _, err := JSONB(bad); err == nil {
			t.Errorf("JSONB(%s) accepted", bad)
		}
	}
}

func TestPretty(t *testing.T) {
	v, _ := Parse(`{"a":[1,{"b":null}],"c":{}}`)
	want := "{\n    \"a\": [\n        1,\n        {\n            \"b\": null\n        }\n    ],\n    \"c\": {\n    }\n}"
	if got := string(AppendPretty(nil, Canon(v), 0)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestPath(t *testing.T) {
	doc := `{"a":[{"b":1,"s":"x"},{"b":2,"s":"y"}],"c":{"d":"e"},"n":null}`
	for _, c := range []struct{ path, want string }{
		{`$.a[*].b`, `[1, 2]`},
		{`$.a.b`, `[1, 2]`},
		{`$.a[1].s`, `["y"]`},
		{`$.a[last].b`, `[2]`},
		{`$.a[0 to 1].b`, `[1, 2]`},
		{`$.a ? (@.s == "y").b`, `[2]`},
		{`$.a[*] ? (@.b > 1 && @.s starts with "y").s`, `["y"]`},
		{`$.c.*`, `["e"]`},
		{`$.missing`, `[]`},
		{`$."c"."d"`, `["e"]`},
		{`$.a.size()`, `[2]`},
		{`$.c.type()`, `["object"]`},
		{`$.a[*].b == 2`, `[true]`},
		{`exists($.c.d)`, `[true]`},
		{`$.n == null`, `[true]`},
	} {
		p, err := CompilePath(c.path)
		if err != nil {
			t.Errorf("%s: %v", c.path, err)
			continue
		}
		v, _ := Parse(doc)
		items, err := p.Query(Canon(v))
		if err != nil {
			t.Errorf("%s: %v", c.path, err)
			continue
		}
		got := string(AppendJSONB(nil, &Value{Kind: Array, Elems: items}))
		if got != c.want {
			t.Errorf("%s: got %s, want %s", c.path, got, c.want)
		}
	}
	p, _ := CompilePath(`strict $.missing`)
	v, _ := Parse(doc)
	if _, err := p.Query(v); err == nil {
		t.Error("strict mode: a missing key is no error")
	}
}

func TestOperators(t *testing.T) {
	parse := func(s string) *Value {
		v, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return Canon(v)
	}
	if !Contains(parse(`{"a":1,"b":[1,2,{"c":3}]}`), parse(`{"b":[{"c":3},2]}`)) || Contains(parse(`{"a":1}`), parse(`{"a":2}`)) {
		t.Error("Contains")
	}
	if !Contains(parse(`[1,2]`), parse(`1`)) || Contains(parse(`[[1]]`), parse(`1`)) {
		t.Error("Contains of a scalar")
	}
	if !Exists(parse(`["a"]`), "a") || Exists(parse(`{"a":{"b":1}}`), "b") {
		t.Error("Exists")
	}
	if got := string(AppendJSONB(nil, Concat(parse(`{"b":1,"a":1}`), parse(`{"a":2}`)))); got != `{"a": 2, "b": 1}` {
		t.Errorf("Concat: %s", got)
	}
	s, err := Set(parse(`{"a":[1,2]}`), []string{"a", "-1"}, parse(`"x"`), true)
	if err != nil || string(AppendJSONB(nil, s)) != `{"a": [1, "x"]}` {
		t.Errorf("Set: %v", err)
	}
	d, err := DeletePath(parse(`{"a":{"b":1,"c":2}}`), []string{"a", "b"})
	if err != nil || string(AppendJSONB(nil, d)) != `{"a": {"c": 2}}` {
		t.Errorf("DeletePath: %v", err)
	}
	if _, err := DeleteKey(parse(`1`), "a"); err == nil {
		t.Error("DeleteKey of a scalar")
	}
	if got := Path(parse(`{"a":[{"b":"x"}]}`), []string{"a", "0", "b"}); got == nil || got.Text != "x" {
		t.Error("Path")
	}
	if !Equal(parse(`1.0`), parse(`1`)) {
		t.Error("Equal of numbers")
	}
}
