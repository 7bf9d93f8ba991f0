package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.uber.org/zap"
	"golang.org/x/term"

	"github.com/tpserver/tpserver/config"
	"github.com/tpserver/tpserver/pgwire"
)

func newUserCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage the users who may connect to the server",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "hash",
		Short: "Print a SCRAM-SHA-256 verifier of a password, for a user block's password_hash",
		Long: "Reads a password (without echo from a terminal, else the first line of standard input) and prints\n" +
			"its SCRAM-SHA-256 verifier in PostgreSQL's format, for password_hash in a user block.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			password, err := readPassword(cmd.InOrStdin(), cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			v, err := config.NewSCRAMVerifier(string(password))
			clear(password)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), v.String())
			return err
		},
	})
	return cmd
}

// readPassword reads a password: typed twice without echo when in is a
// terminal, else the first line of in.
func readPassword(in io.Reader, prompt io.Writer) ([]byte, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(prompt, "Password: ")
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return nil, fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(prompt, "Again: ")
		second, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return nil, fmt.Errorf("read password: %w", err)
		}
		same := bytes.Equal(first, second)
		clear(second)
		if !same {
			clear(first)
			return nil, usageError(errors.New("the passwords differ"))
		}
		return nonEmpty(first)
	}
	line, err := bufio.NewReader(in).ReadBytes('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read password from standard input: %w", err)
	}
	return nonEmpty(bytes.TrimRight(line, "\r\n"))
}

func nonEmpty(password []byte) ([]byte, error) {
	if len(password) == 0 {
		return nil, usageError(errors.New("empty password"))
	}
	return password, nil
}

// serveAuth is how serve authenticates clients: the configured users, and
// the delays of failed logins.
type serveAuth struct {
	failDelay, failMaxDelay time.Duration
}

// addFlags registers serve's authentication flags (hidden: they exist for
// tests, which keep the delays short).
func (a *serveAuth) addFlags(fs *pflag.FlagSet) {
	fs.DurationVar(&a.failDelay, "auth-fail-delay", 100*time.Millisecond, "delay before answering a failed login; doubles per failure from an address")
	fs.DurationVar(&a.failMaxDelay, "auth-fail-max-delay", 5*time.Second, "longest delay before answering a failed login")
	_ = fs.MarkHidden("auth-fail-delay")
	_ = fs.MarkHidden("auth-fail-max-delay")
}

// apply sets the server options for users and logs how clients will log in.
func (a *serveAuth) apply(opt *pgwire.Options, users []*config.User, log *zap.Logger) {
	opt.AuthFailDelay, opt.AuthFailMaxDelay = a.failDelay, a.failMaxDelay
	if len(users) == 0 {
		log.Info("no users configured: accepting local clients only, without a password")
		return
	}
	opt.Users = make(map[string]pgwire.User, len(users))
	for _, u := range users {
		v := u.Verifier
		opt.Users[u.Name] = pgwire.User{
			Role:        pgwire.Role(u.Role),
			Credentials: pgwire.SCRAMCredentials{Iterations: v.Iterations, Salt: v.Salt, StoredKey: v.StoredKey, ServerKey: v.ServerKey},
		}
	}
	log.Info("clients log in with SCRAM-SHA-256", zap.Int("users", len(users)))
}
