package pgtext

import (
	"bytes"
	"fmt"
	"testing"
)

func TestParseBool(t *testing.T) {
	for in, want := range map[string]bool{"t": true, "TRUE": true, " yes ": true, "y": true, "on": true, "1": true, "tr": true,
		"f": false, "False": false, "no": false, "n": false, "off": false, "of": false, "0": false, "\tfa\n": false} {
		got, err := ParseBool(in)
		if err != nil || got != want {
			t.Errorf("ParseBool(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "o", "2", "yess", "truee", "t t", "onn"} {
		if _, err := ParseBool(in); err == nil {
			t.Errorf("ParseBool(%q) succeeded", in)
		}
	}
}

func TestParseInt(t *testing.T) {
	for in, want := range map[string]int64{"  12 ": 12, "-7": -7, "+3": 3, "007": 7} {
		if got, err := ParseInt(in, 32); err != nil || got != want {
			t.Errorf("ParseInt(%q) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "1.5", "1e3", "0x10", "1_000", "--1", "3000000000", " "} {
		if _, err := ParseInt(in, 32); err == nil {
			t.Errorf("ParseInt(%q) succeeded", in)
		}
	}
}

func TestParseFloat(t *testing.T) {
	for _, in := range []string{" 1.5 ", "-1e3", "NaN", "-Infinity", "inf", ".5"} {
		if _, err := ParseFloat(in); err != nil {
			t.Errorf("ParseFloat(%q): %v", in, err)
		}
	}
	for _, in := range []string{"", "0x1p3", "1_0", "abc", "1.5x"} {
		if _, err := ParseFloat(in); err == nil {
			t.Errorf("ParseFloat(%q) succeeded", in)
		}
	}
}

func TestParseBytea(t *testing.T) {
	cases := map[string][]byte{
		`\xdead00ff`:  {0xde, 0xad, 0, 0xff},
		`\xDE AD`:     {0xde, 0xad},
		`\x`:          {},
		`abc\000`:     {'a', 'b', 'c', 0},
		`a\\b`:        {'a', '\\', 'b'},
		`\377\001x`:   {0xff, 1, 'x'},
		"plain text":  []byte("plain text"),
		`\\x41`:       {'\\', 'x', '4', '1'},
		`quote'"here`: []byte(`quote'"here`),
	}
	for in, want := range cases {
		got, err := ParseBytea(in)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("ParseBytea(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{`\xabc`, `\xzz`, `a\9`, `a\`, `\400`} {
		if _, err := ParseBytea(in); err == nil {
			t.Errorf("ParseBytea(%q) succeeded", in)
		}
	}
}

// render shows a parsed array: NULL, "x" for a string, {...} for a sub-array.
func render(a Array) string {
	s := "{"
	for i, e := range a {
		if i > 0 {
			s += ","
		}
		switch x := e.(type) {
		case Array:
			s += render(x)
		case *string:
			if x == nil {
				s += "NULL"
			} else {
				s += fmt.Sprintf("%q", *x)
			}
		}
	}
	return s + "}"
}

func TestParseArray(t *testing.T) {
	cases := map[string]string{
		`{}`:                          `{}`,
		` { a , "b c" ,NULL, null } `: `{"a","b c",NULL,NULL}`,
		`{"NULL",""}`:                 `{"NULL",""}`,
		`{a\,b,"q\"u\\"}`:             `{"a,b","q\"u\\"}`,
		`{{1,2},{3,NULL}}`:            `{{"1","2"},{"3",NULL}}`,
		`{{{1}},{{2}}}`:               `{{{"1"}},{{"2"}}}`,
		`[0:1]={1,2}`:                 `{"1","2"}`,
		`{ab cd}`:                     `{"ab cd"}`,
		`{\NULL}`:                     `{"NULL"}`,
		`{"2024-01-02 03:04:05+00"}`:  `{"2024-01-02 03:04:05+00"}`,
	}
	for in, want := range cases {
		got, err := ParseArray(in)
		if err != nil || render(got) != want {
			t.Errorf("ParseArray(%q) = %s, %v; want %s", in, render(got), err, want)
		}
	}
	for _, in := range []string{``, `a`, `{`, `{a`, `{a,}`, `{,a}`, `{a}x`, `{{1},2}`, `{{1,2},{3}}`, `{"a`, `{a"b}`, `[1:2]{1}`} {
		if _, err := ParseArray(in); err == nil {
			t.Errorf("ParseArray(%q) succeeded", in)
		}
	}
}

func TestParseInterval(t *testing.T) {
	cases := map[string]Interval{
		"1 year 2 mons 3 days 04:05:06.5": {14, 3, 14706500000},
		"@ 1 day ago":                     {0, -1, 0},
		"1 mon -1 day":                    {1, -1, 0},
		"1-2":                             {14, 0, 0},
		"-1-2":                            {-14, 0, 0},
		"3 04:05:06":                      {0, 3, 14706000000},
		"01:02:03":                        {0, 0, 3723000000},
		"-01:02":                          {0, 0, -3720000000},
		"1.5 days":                        {0, 1, 43200000000},
		"1.5 months":                      {1, 15, 0},
		"1.5 years":                       {18, 0, 0},
		"2 weeks":                         {0, 14, 0},
		"5":                               {0, 0, 5000000},
		"1day 2hours":                     {0, 1, 7200000000},
		"  10 MINUTES ":                   {0, 0, 600000000},
		"P1Y2M3DT4H5M6S":                  {14, 3, 14706000000},
		"PT1.5S":                          {0, 0, 1500000},
		"p2w":                             {0, 14, 0},
		"1 century":                       {1200, 0, 0},
		"250 ms":                          {0, 0, 250000},
	}
	for in, want := range cases {
		got, err := ParseInterval(in)
		if err != nil || got != want {
			t.Errorf("ParseInterval(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "1 fortnight", "P", "P1X", "1:99", "ago 1 day", "1-13"} {
		if _, err := ParseInterval(in); err == nil {
			t.Errorf("ParseInterval(%q) succeeded", in)
		}
	}
}

func TestNormalizeDateTime(t *testing.T) {
	cases := []struct {
		in   string
		kind DateTimeKind
		want string
	}{
		{"January 8, 1999", Date, "1999-01-08"},
		{"Jan 8 1999", Date, "1999-01-08"},
		{"8 Jan 1999", Date, "1999-01-08"},
		{"1999-Jan-08", Date, "1999-01-08"},
		{"08-Jan-1999", Date, "1999-01-08"},
		{"1/8/1999", Date, "1999-01-08"},
		{"1/8/99", Date, "1999-01-08"},
		{"19990108", Date, "1999-01-08"},
		{" 1999-01-08 ", Date, "1999-01-08"},
		{"1999-01-08 04:05:06", Date, "1999-01-08"},
		{"0044-03-15 BC", Date, "-0043-03-15"},
		{"Friday, January 8, 1999", Date, "1999-01-08"},
		{"epoch", Date, "1970-01-01"},
		{"epoch", TimestampTZ, "1970-01-01 00:00:00+00"},
		{"-infinity", Timestamp, "-infinity"},
		{"1999-01-08 04:05:06 -8:00", TimestampTZ, "1999-01-08 04:05:06-08:00"},
		{"1999-01-08 04:05:06-8", TimestampTZ, "1999-01-08 04:05:06-08"},
		{"1999-01-08 04:05:06 +0530", TimestampTZ, "1999-01-08 04:05:06+05:30"},
		{"1999-01-08T04:05:06.5Z", TimestampTZ, "1999-01-08 04:05:06.5+00"},
		{"1999-01-08 04:05:06 -8:00", Timestamp, "1999-01-08 04:05:06"},
		{"January 8 1999 4:05 PM", Timestamp, "1999-01-08 16:05:00"},
		{"12:30 AM", Time, "00:30:00"},
		{"4:05:06.789", Time, "04:05:06.789"},
		{"allballs", Time, "00:00:00"},
		{"1999-01-08 04:05:06 America/New_York", TimestampTZ, "1999-01-08 04:05:06 America/New_York"},
		{"garbage", Date, "garbage"},
	}
	for _, c := range cases {
		got, sp := NormalizeDateTime(c.in, c.kind)
		if got != c.want || sp != "" {
			t.Errorf("NormalizeDateTime(%q, %d) = %q, %q; want %q", c.in, c.kind, got, sp, c.want)
		}
	}
	if _, sp := NormalizeDateTime(" Today ", Date); sp != Today {
		t.Errorf("today: %q", sp)
	}
}
