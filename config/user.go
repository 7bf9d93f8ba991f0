package config

import (
	"fmt"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// The roles a user may have.
const (
	// RoleReader may read the lake and run read-only statements.
	RoleReader = "reader"
	// RoleAnalyst may also create tables and views of its own.
	RoleAnalyst = "analyst"
)

// User is a `user "<name>"` block: someone who may connect to the server.
type User struct {
	Name string
	Pos  Pos
	// Verifier checks the user's password. A block's plain password is
	// turned into a verifier at load and not kept.
	Verifier SCRAMVerifier
	// Role is RoleReader or RoleAnalyst.
	Role string
}

// userEvalContext lets a user block read its password from the
// environment: password = env("NAME").
func userEvalContext() *hcl.EvalContext {
	return &hcl.EvalContext{Functions: map[string]function.Function{"env": envFunction()}}
}

// envFunction is env(name): the value of an environment variable, an error
// when it is unset or empty.
func envFunction() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "name", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			name := args[0].AsString()
			v := os.Getenv(name)
			if v == "" {
				return cty.NilVal, fmt.Errorf("environment variable %s is not set", name)
			}
			return cty.StringVal(v), nil
		},
	})
}

// userAttrs are the arguments of a user block, as written.
type userAttrs struct {
	password, hash         string
	passwordAt, hashAt     *hclsyntax.Attribute
	role                   string
	roleAt                 *hclsyntax.Attribute
	decodedPass, decodedHs bool
}

func (l *loader) user(b *hclsyntax.Block) {
	if !l.labels(b, 1, `user "NAME" { password = env("VAR") role = "reader" }`) {
		return
	}
	u := &User{Name: b.Labels[0], Pos: l.file.pos(b.TypeRange.Start)}
	ok := true
	if u.Name == "" {
		l.errorf(b.LabelRanges[0].Start, "a user name must not be empty")
		ok = false
	}
	l.noBlocks(b)
	var a userAttrs
	for _, attr := range sortedAttrs(b.Body.Attributes) {
		switch attr.Name {
		case "password":
			a.passwordAt = attr
			a.decodedPass = l.decodeIn(attr, userEvalContext(), &a.password)
		case "password_hash":
			a.hashAt = attr
			a.decodedHs = l.decode(attr, &a.hash)
		case "role":
			a.roleAt = attr
			if l.decode(attr, &a.role) && a.role != RoleReader && a.role != RoleAnalyst {
				l.errorf(attr.Expr.Range().Start, "unknown role %q: a user's role is %q or %q", a.role, RoleReader, RoleAnalyst)
				ok = false
			}
		default:
			l.errorf(attr.NameRange.Start, "unsupported argument %q in user block: supported arguments are password, password_hash, role", attr.Name)
		}
	}
	ok = l.userRole(b, u, &a) && ok
	ok = l.userVerifier(b, u, &a) && ok
	if prev, dup := l.users[u.Name]; dup {
		l.errorf(b.LabelRanges[0].Start, "duplicate user %q: already defined at %s", u.Name, prev)
		return
	}
	l.users[u.Name] = u.Pos
	if ok {
		l.cfg.Users = append(l.cfg.Users, u)
	}
}

// userRole sets the user's role from its block.
func (l *loader) userRole(b *hclsyntax.Block, u *User, a *userAttrs) bool {
	if a.roleAt == nil {
		l.errorf(b.TypeRange.Start, "user %q has no role: set role = %q or %q", u.Name, RoleReader, RoleAnalyst)
		return false
	}
	u.Role = a.role
	return a.role == RoleReader || a.role == RoleAnalyst
}

// userVerifier sets the user's verifier from its password or password_hash,
// exactly one of which the block must have.
func (l *loader) userVerifier(b *hclsyntax.Block, u *User, a *userAttrs) bool {
	switch {
	case a.passwordAt != nil && a.hashAt != nil:
		l.errorf(a.hashAt.NameRange.Start, "user %q has both password and password_hash: set only one", u.Name)
		return false
	case a.passwordAt == nil && a.hashAt == nil:
		l.errorf(b.TypeRange.Start, "user %q has no password: set password or password_hash (tpserver user hash prints one)", u.Name)
		return false
	case a.passwordAt != nil:
		if !a.decodedPass {
			return false
		}
		if a.password == "" {
			l.errorf(a.passwordAt.Expr.Range().Start, "user %q has an empty password", u.Name)
			return false
		}
		v, err := NewSCRAMVerifier(a.password)
		a.password = ""
		if err != nil {
			l.errorf(a.passwordAt.Expr.Range().Start, "user %q: %v", u.Name, err)
			return false
		}
		u.Verifier = v
		return true
	default:
		if !a.decodedHs {
			return false
		}
		v, err := ParseSCRAMVerifier(a.hash)
		if err != nil {
			l.errorf(a.hashAt.Expr.Range().Start, "user %q: %v", u.Name, err)
			return false
		}
		u.Verifier = v
		return true
	}
}

// decodeIn decodes an attribute's value, evaluated in ctx, into target.
func (l *loader) decodeIn(a *hclsyntax.Attribute, ctx *hcl.EvalContext, target any) bool {
	ds, ok := decodeExprIn(a.Expr, ctx, target)
	l.diags(ds)
	return ok
}
