package sqlclass

import "testing"

// FuzzClassify checks that Classify and Split accept any text: no panic,
// and every statement is the text at its offset, in order, not overlapping
// the one before.
func FuzzClassify(f *testing.F) {
	for _, q := range []string{
		"", "select 1", "select 1; select 2;", "select ';' ; select 'a''b;'", `select E'\';' ; select 2`,
		`select "a;""b" ; x`, "select $$;$$; select $a$ $$; $a$", "select 1 /* ; /* ; */ ; */; select 2 -- ;\n",
		"begin read only; set local search_path = a, b; commit", "copy (select 1) to stdout with (format csv, header)",
		"declare c scroll cursor with hold for select 1; fetch backward 2 from c; move last in c; close c",
		"pragma table_info('t'); describe t; summarize select 1; attach 'x.db' as x (read_only)",
		"select set_config('work_mem', '1MB', true)", "select 'unterminated", "select $$unterminated",
		"/* unterminated", "select U&'\\0041'; select e'\\x41'", "select 1;;; ;select\t2",
		"create secret s (type s3, key_id 'k'); install httpfs; load httpfs",
		"with recursive r(n) as (select 1 union all select n+1 from r) select * from r",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		checkSpans(t, q, "Split", func(yield func(string, int)) {
			for _, sp := range Split(q) {
				yield(sp.Text, sp.Offset)
			}
		})
		checkSpans(t, q, "Classify", func(yield func(string, int)) {
			for _, st := range Classify(q) {
				yield(st.Text, st.Offset)
			}
		})
	})
}

// checkSpans checks the statements spans lists against q.
func checkSpans(t *testing.T, q, what string, spans func(yield func(text string, offset int))) {
	t.Helper()
	prevEnd := 0
	spans(func(text string, offset int) {
		end := offset + len(text)
		switch {
		case offset < prevEnd || end > len(q):
			t.Fatalf("%s(%q): statement %q at %d..%d, after %d", what, q, text, offset, end, prevEnd)
		case q[offset:end] != text:
			t.Fatalf("%s(%q): statement %q is not the text at %d", what, q, text, offset)
		}
		prevEnd = end
	})
}
