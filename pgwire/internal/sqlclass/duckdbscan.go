package sqlclass

import "strings"

// scanDuckDB reads, from its tokens, what a statement of DuckDB's dialect
// reaches outside the database and what it changes. PostgreSQL's parser
// could not read it, so the scan is conservative: any call of a function
// of fileFunctions and any literal or path-like name where a table is
// expected count as external access, and a write the leading words do not
// announce makes the statement Opaque.
func scanDuckDB(st *Statement) {
	toks := tokensOf(st.Text)
	scanExternal(st, toks)
	head := skipPrefixes(toks)
	if head >= len(toks) {
		return
	}
	words := make([]string, 0, 3)
	for _, t := range toks[head:] {
		if len(words) == 3 {
			break
		}
		words = append(words, strings.ToUpper(t.Text))
	}
	if head > 0 {
		kind, writes, files := duckdbKind(words)
		st.Writes = st.Writes || writes
		st.Files = st.Files || files
		if !prefixable[kind] {
			st.Opaque = strings.ToUpper(toks[0].Text) + " " + words[0]
			return
		}
	}
	if st.Files && st.External == "" {
		st.External = words[0]
	}
	scanTargets(st, toks[head:])
}

func tokensOf(text string) []Token {
	var toks []Token
	lx := NewLexer(text)
	for t, ok := lx.Next(); ok; t, ok = lx.Next() {
		if t.Kind != Semicolon {
			toks = append(toks, t)
		}
	}
	return toks
}

// tableWords are the words after which DuckDB expects a table, and so may
// read a file named there (FROM 'x.csv', SUMMARIZE 'x.parquet').
var tableWords = map[string]bool{"FROM": true, "JOIN": true, "SUMMARIZE": true, "DESCRIBE": true,
	"SHOW": true, "PIVOT": true, "UNPIVOT": true, "INTO": true, "UPDATE": true, "TABLE": true}

// clauseWords end a FROM list.
var clauseWords = map[string]bool{"SELECT": true, "WHERE": true, "GROUP": true, "ORDER": true,
	"HAVING": true, "LIMIT": true, "QUALIFY": true, "WINDOW": true, "UNION": true, "EXCEPT": true,
	"INTERSECT": true, "ON": true, "USING": true, "RETURNING": true, "SET": true, "VALUES": true}

// scanExternal finds file-reading calls and file names in table position.
func scanExternal(st *Statement, toks []Token) {
	inFrom := map[int]bool{}
	depth, expectTable := 0, false
	for i, t := range toks {
		upper := strings.ToUpper(t.Text)
		expect := false
		switch t.Kind {
		case Word, QuotedIdent:
			name := identName(t)
			if i+1 < len(toks) && toks[i+1].Text == "(" && fileFunctions[name] {
				st.Files = true
				st.noteExternal(name + "()")
			}
			switch {
			case t.Kind == Word && tableWords[upper]:
				expect, inFrom[depth] = true, upper == "FROM" || upper == "JOIN"
			case t.Kind == Word && (upper == "LATERAL" || upper == "ONLY"):
				expect = expectTable
			case t.Kind == Word && clauseWords[upper]:
				inFrom[depth] = false
			case expectTable && t.Kind == QuotedIdent && looksLikeFile(name):
				st.Files = true
				st.noteExternal("FROM " + t.Text)
			}
		case String, DollarQuote:
			if expectTable {
				st.Files = true
				st.noteExternal("FROM " + t.Text)
			}
		case Symbol:
			switch t.Text {
			case "(":
				depth++
				inFrom[depth] = false
			case ")":
				depth--
			case ",":
				expect = inFrom[depth]
			}
		}
		expectTable = expect
	}
}

// skipPrefixes returns the index of the statement EXPLAIN [ANALYZE] and
// PREPARE name [(types)] AS introduce.
func skipPrefixes(toks []Token) int {
	i := 0
	for i < len(toks) {
		switch strings.ToUpper(toks[i].Text) {
		case "EXPLAIN":
			i++
			if i < len(toks) && strings.EqualFold(toks[i].Text, "ANALYZE") {
				i++
			}
		case "PREPARE":
			j := i + 1
			for j < len(toks) && !strings.EqualFold(toks[j].Text, "AS") {
				j++
			}
			i = j + 1
		default:
			return i
		}
	}
	return i
}

// prefixable are the kinds of statements EXPLAIN and PREPARE may hold.
var prefixable = map[Kind]bool{Select: true, Insert: true, Update: true, Delete: true, Merge: true, DDL: true,
	Describe: true, Summarize: true}

// changeWords are statements that change something; inside a DuckDB
// statement that does not start with them, the classifier cannot tell what
// they change.
var changeWords = map[string]bool{"INSERT": true, "UPDATE": true, "DELETE": true, "MERGE": true,
	"CREATE": true, "DROP": true, "ALTER": true, "TRUNCATE": true, "COPY": true, "ATTACH": true,
	"DETACH": true, "INSTALL": true, "LOAD": true, "EXPORT": true, "IMPORT": true, "PRAGMA": true,
	"CALL": true, "CHECKPOINT": true, "USE": true, "SET": true, "RESET": true, "COMMENT": true}

// checkedObjects are the object kinds whose DDL the classifier can check.
var checkedObjects = map[string]bool{"TABLE": true, "VIEW": true, "SCHEMA": true, "SEQUENCE": true,
	"INDEX": true, "TYPE": true}

// scanTargets reads the target of a DuckDB write from its leading words.
func scanTargets(st *Statement, toks []Token) {
	first := strings.ToUpper(toks[0].Text)
	for _, t := range toks[1:] {
		w := strings.ToUpper(t.Text)
		if t.Kind != Word || !changeWords[w] {
			continue
		}
		allowed := (first == "UPDATE" && w == "SET") || (first == "INSERT" && (w == "UPDATE" || w == "SET"))
		if !allowed {
			st.Opaque = w + " inside " + first
			return
		}
	}
	if !changeWords[first] {
		return
	}
	i := 1
	skip := func(words ...string) {
		for i < len(toks) && toks[i].Kind == Word && wordIn(toks[i].Text, words) {
			i++
		}
	}
	object := "TABLE"
	switch first {
	case "CREATE", "DROP", "ALTER", "COMMENT":
		start := i
		skip("OR", "REPLACE", "TEMP", "TEMPORARY", "ON", "UNIQUE")
		if i >= len(toks) {
			return
		}
		temp := false
		for _, t := range toks[start:i] {
			temp = temp || wordIn(t.Text, []string{"TEMP", "TEMPORARY"})
		}
		object = strings.ToUpper(toks[i].Text)
		if temp && first == "CREATE" && (object == "MACRO" || object == "FUNCTION") {
			// A temporary macro is the session's own; its body was
			// scanned for external access like any text.
			st.Targets = append(st.Targets, Name{Schema: "temp", Name: dottedName(toks[i+1:]).Name})
			return
		}
		if !checkedObjects[object] {
			st.Opaque = first + " " + object
			return
		}
		i++
		if object == "INDEX" && first == "CREATE" {
			for i < len(toks) && !strings.EqualFold(toks[i].Text, "ON") {
				i++
			}
			i++
			object = "TABLE"
		}
	case "INSERT", "MERGE", "DELETE", "TRUNCATE":
		skip("OR", "REPLACE", "IGNORE", "INTO", "FROM", "TABLE")
	case "UPDATE":
	default:
		return // refused by kind
	}
	skip("IF", "NOT", "EXISTS")
	name := dottedName(toks[i:])
	if object == "SCHEMA" {
		name = Name{Schema: name.Name}
	}
	if name == (Name{}) {
		st.Opaque = first + " without a name the classifier can read"
		return
	}
	st.Targets = append(st.Targets, name)
}

func wordIn(w string, words []string) bool {
	for _, x := range words {
		if strings.EqualFold(w, x) {
			return true
		}
	}
	return false
}

// dottedName reads a possibly qualified name at the start of toks.
func dottedName(toks []Token) Name {
	var parts []string
	for i := 0; i < len(toks); i += 2 {
		if toks[i].Kind != Word && toks[i].Kind != QuotedIdent {
			break
		}
		parts = append(parts, identName(toks[i]))
		if i+1 >= len(toks) || toks[i+1].Text != "." {
			break
		}
	}
	return nameOf(parts)
}
