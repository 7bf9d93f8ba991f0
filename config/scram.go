package config

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/xdg-go/scram"
)

// SCRAM verifier parameters of the verifiers tpserver makes, as PostgreSQL
// makes them (scram_iterations' default and a 16-byte salt).
const (
	SCRAMIterations = 4096
	scramSaltLen    = 16
	scramPrefix     = "SCRAM-SHA-256$"
)

// SCRAMVerifier is a SCRAM-SHA-256 password verifier: what a server keeps
// to check a password without knowing it. Its text form is PostgreSQL's
// pg_authid.rolpassword:
//
//	SCRAM-SHA-256$<iterations>:<salt base64>$<StoredKey base64>:<ServerKey base64>
type SCRAMVerifier struct {
	Iterations int
	Salt       []byte
	StoredKey  []byte
	ServerKey  []byte
}

// NewSCRAMVerifier derives a verifier for password with a random salt and
// SCRAMIterations iterations. Like PostgreSQL, it normalizes the password
// with SASLprep, or uses it as is when SASLprep rejects it.
func NewSCRAMVerifier(password string) (SCRAMVerifier, error) {
	salt := make([]byte, scramSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return SCRAMVerifier{}, fmt.Errorf("scram salt: %w", err)
	}
	return deriveSCRAMVerifier(password, salt, SCRAMIterations)
}

// deriveSCRAMVerifier derives the verifier of password for salt and iterations.
func deriveSCRAMVerifier(password string, salt []byte, iterations int) (SCRAMVerifier, error) {
	client, err := scram.SHA256.NewClient("", password, "")
	if err != nil {
		client, err = scram.SHA256.NewClientUnprepped("", password, "")
	}
	if err != nil {
		return SCRAMVerifier{}, fmt.Errorf("scram client: %w", err)
	}
	creds, err := client.GetStoredCredentialsWithError(scram.KeyFactors{Salt: string(salt), Iters: iterations})
	if err != nil {
		return SCRAMVerifier{}, fmt.Errorf("derive scram keys: %w", err)
	}
	return SCRAMVerifier{Iterations: iterations, Salt: salt, StoredKey: creds.StoredKey, ServerKey: creds.ServerKey}, nil
}

// ParseSCRAMVerifier reads a verifier in pg_authid format.
func ParseSCRAMVerifier(s string) (SCRAMVerifier, error) {
	const want = "want SCRAM-SHA-256$<iterations>:<salt base64>$<StoredKey base64>:<ServerKey base64>"
	rest, ok := strings.CutPrefix(s, scramPrefix)
	if !ok {
		return SCRAMVerifier{}, fmt.Errorf("not a SCRAM-SHA-256 verifier: %s", want)
	}
	factors, keys, ok := strings.Cut(rest, "$")
	iterText, saltText, ok1 := strings.Cut(factors, ":")
	storedText, serverText, ok2 := strings.Cut(keys, ":")
	if !ok || !ok1 || !ok2 {
		return SCRAMVerifier{}, fmt.Errorf("malformed SCRAM-SHA-256 verifier: %s", want)
	}
	var v SCRAMVerifier
	var err error
	if v.Iterations, err = strconv.Atoi(iterText); err != nil || v.Iterations < 1 {
		return SCRAMVerifier{}, fmt.Errorf("bad iteration count %q in SCRAM-SHA-256 verifier", iterText)
	}
	if v.Salt, err = base64.StdEncoding.DecodeString(saltText); err != nil || len(v.Salt) == 0 {
		return SCRAMVerifier{}, errors.New("bad salt in SCRAM-SHA-256 verifier: want non-empty base64")
	}
	for _, k := range []struct {
		name, text string
		dst        *[]byte
	}{{"StoredKey", storedText, &v.StoredKey}, {"ServerKey", serverText, &v.ServerKey}} {
		b, err := base64.StdEncoding.DecodeString(k.text)
		if err != nil || len(b) != sha256.Size {
			return SCRAMVerifier{}, fmt.Errorf("bad %s in SCRAM-SHA-256 verifier: want %d bytes in base64", k.name, sha256.Size)
		}
		*k.dst = b
	}
	return v, nil
}

// String formats the verifier in pg_authid format.
func (v SCRAMVerifier) String() string {
	b64 := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("%s%d:%s$%s:%s", scramPrefix, v.Iterations, b64(v.Salt), b64(v.StoredKey), b64(v.ServerKey))
}
