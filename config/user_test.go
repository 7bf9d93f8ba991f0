package config

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"
)

// rfc5802Keys computes StoredKey and ServerKey as RFC 5802 defines them,
// independently of the library the config package uses.
func rfc5802Keys(t *testing.T, password string, salt []byte, iter int) (stored, server []byte) {
	t.Helper()
	salted, err := pbkdf2.Key(sha256.New, password, salt, iter, sha256.Size)
	if err != nil {
		t.Fatal(err)
	}
	mac := func(key []byte, msg string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(msg))
		return h.Sum(nil)
	}
	clientKey := mac(salted, "Client Key")
	sum := sha256.Sum256(clientKey)
	return sum[:], mac(salted, "Server Key")
}

func TestSCRAMVerifierRoundTripAndKeys(t *testing.T) {
	v, err := NewSCRAMVerifier("pencil")
	if err != nil {
		t.Fatal(err)
	}
	if v.Iterations != 4096 || len(v.Salt) != 16 {
		t.Fatalf("iterations %d, salt %d bytes; want 4096 and 16", v.Iterations, len(v.Salt))
	}
	stored, server := rfc5802Keys(t, "pencil", v.Salt, 4096)
	if !hmac.Equal(stored, v.StoredKey) || !hmac.Equal(server, v.ServerKey) {
		t.Fatalf("keys differ from RFC 5802's")
	}
	text := v.String()
	if !strings.HasPrefix(text, "SCRAM-SHA-256$4096:") {
		t.Fatalf("verifier %q", text)
	}
	back, err := ParseSCRAMVerifier(text)
	if err != nil || back.String() != text {
		t.Fatalf("parse(%q) = %v, %v", text, back, err)
	}
	other, _ := NewSCRAMVerifier("pencil")
	if string(other.Salt) == string(v.Salt) {
		t.Fatal("two verifiers of one password share a salt")
	}
}

func TestParseSCRAMVerifierRejects(t *testing.T) {
	key := base64.StdEncoding.EncodeToString(make([]byte, 32))
	for _, bad := range []string{
		"md5abcdef",
		"SCRAM-SHA-256$4096:c2FsdA==",
		"SCRAM-SHA-256$x:c2FsdA==$" + key + ":" + key,
		"SCRAM-SHA-256$0:c2FsdA==$" + key + ":" + key,
		"SCRAM-SHA-256$4096:!!$" + key + ":" + key,
		"SCRAM-SHA-256$4096:c2FsdA==$c2hvcnQ=:" + key,
	} {
		if _, err := ParseSCRAMVerifier(bad); err == nil {
			t.Errorf("ParseSCRAMVerifier(%q) accepted it", bad)
		}
	}
}

func TestLoadUsers(t *testing.T) {
	t.Setenv("TP_TEST_PW", "s3cret")
	hash, _ := NewSCRAMVerifier("other")
	dir := writeFiles(t, map[string]string{"users.tpc": `
user "grafana" {
  password = env("TP_TEST_PW")
  role     = "reader"
}
user "alice" {
  password_hash = "` + hash.String() + `"
  role          = "analyst"
}
`})
	cfg, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Users) != 2 {
		t.Fatalf("got %d users", len(cfg.Users))
	}
	g, a := cfg.Users[0], cfg.Users[1]
	if g.Name != "grafana" || g.Role != RoleReader || a.Name != "alice" || a.Role != RoleAnalyst {
		t.Fatalf("users %+v %+v", g, a)
	}
	stored, _ := rfc5802Keys(t, "s3cret", g.Verifier.Salt, g.Verifier.Iterations)
	if !hmac.Equal(stored, g.Verifier.StoredKey) {
		t.Fatal("grafana's verifier does not check its password")
	}
	if a.Verifier.String() != hash.String() {
		t.Fatalf("alice's verifier %s, want %s", a.Verifier, hash)
	}
	if g.Pos.Line != 2 || g.Pos.Column != 1 || filepath.Base(g.Pos.File) != "users.tpc" {
		t.Fatalf("grafana at %s", g.Pos)
	}
}

func TestLoadUserErrors(t *testing.T) {
	key := base64.StdEncoding.EncodeToString(make([]byte, 32))
	tests := []struct {
		name, content, pos, text string
	}{
		{"both", `user "u" {
  password = "a"
  password_hash = "x"
  role = "reader"
}`, "3:3", "both password and password_hash"},
		{"neither", `user "u" {
  role = "reader"
}`, "1:1", `user "u" has no password`},
		{"bad role", `user "u" {
  password = "a"
  role = "admin"
}`, "3:10", `unknown role "admin"`},
		{"no role", `user "u" {
  password = "a"
}`, "1:1", `user "u" has no role`},
		{"bad hash", `user "u" {
  password_hash = "SCRAM-SHA-256$4096:c2FsdA==$abc:` + key + `"
  role = "reader"
}`, "2:19", "bad StoredKey"},
		{"unset env", `user "u" {
  password = env("TP_TEST_UNSET_VARIABLE")
  role = "reader"
}`, "2:14", "environment variable TP_TEST_UNSET_VARIABLE is not set"},
		{"duplicate", `user "u" {
  password = "a"
  role = "reader"
}
user "u" {
  password = "b"
  role = "reader"
}`, "5:6", `duplicate user "u": already defined at`},
		{"unknown argument", `user "u" {
  password = "a"
  role = "reader"
  superuser = true
}`, "4:3", `unsupported argument "superuser"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"u.tpc": tc.content})
			_, err := Load(dir)
			if err == nil {
				t.Fatal("loaded")
			}
			wantErr(t, err, filepath.Join(dir, "u.tpc")+":"+tc.pos, tc.text)
		})
	}
}
