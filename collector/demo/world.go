package demo

import (
	"fmt"
	"math/rand/v2"
)

// The cast of the demo organisation. Everything here is fixed except the IDs,
// which are drawn from the seeded generator.

const (
	regionUSE1 = "us-east-1"
	regionEUW1 = "eu-west-1"
	regionAPS2 = "ap-southeast-2"
)

// Public IPs come from the documentation ranges (RFC 5737).
const (
	ipOfficeA    = "198.51.100.10"
	ipOfficeB    = "198.51.100.11"
	ipVPN        = "198.51.100.77"
	ipCI         = "198.51.100.200"
	ipBruteForce = "203.0.113.201"
)

// User agents.
const (
	uaChromeMac  = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
	uaFirefoxWin = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0"
	uaSafariMac  = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15"
	uaEdgeWin    = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80"
	uaChromeLin  = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36"
	uaCLIMac     = "aws-cli/2.15.40 Python/3.11.8 Darwin/23.4.0 exe/x86_64 prompt/off"
	uaCLILinux   = "aws-cli/2.15.38 Python/3.11.8 Linux/6.5.0-1018-aws exe/x86_64.ubuntu.22 prompt/off"
	uaBoto3      = "Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#6.5.0-1018-aws md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84"
	uaBoto3Mac   = "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/macos#23.4.0 md/arch#arm64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69"
	uaTerraform  = "APN/1.0 HashiCorp/1.0 Terraform/1.8.2 (+https://www.terraform.io) terraform-provider-aws/5.47.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64"
	uaJavaSDK    = "aws-sdk-java/2.25.35 Linux/5.10.215-203.850.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS Java/17.0.11 vendor/Amazon.com_Inc. md/io#sync md/http#Apache ua/2.0 cfg/retry-mode#legacy"
	uaGoLambda   = "aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64 exec-env/AWS_Lambda_provided.al2023"
	uaAttacker   = "aws-cli/1.16.312 Python/3.8.10 Linux/6.6.9-amd64 botocore/1.13.48 kali"
	uaAttacker2  = "Boto3/1.9.201 Python/2.7.18 Linux/6.6.9-amd64 Botocore/1.12.201"
	uaSSO        = "aws-internal/3 aws-sdk-java/1.12.720 Linux/5.10.216-182.855.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS java/17.0.11 vendor/Amazon.com_Inc. cfg/retry-mode/standard"
	uaInternal   = "AWS Internal"
)

type account struct {
	id, alias string
	// noise is the mean number of service events per hour per region,
	// indexed like world.regions.
	noise [3]int
}

type user struct {
	name, acct   string
	pid, akid    string
	mfa          bool
	console, cli bool
	browser      string
	cliUA        string
	ips          []string
	kind         string // admin, ops, dev, contractor, security, data
}

func (u *user) arn() string { return "arn:aws:iam::" + u.acct + ":user/" + u.name }

type role struct {
	name, acct, id, path string
}

func (r *role) arn() string { return "arn:aws:iam::" + r.acct + ":role/" + r.path + r.name }

type ssoUser struct {
	email   string
	ip      string
	browser string
	admin   bool
}

type bucket struct{ name, acct, region string }

type secGroup struct{ id, name, vpc string }

type kmsKey struct{ id, alias string }

type trail struct{ name, acct, region, bucket string }

// place is an account+region pair with its resources.
type place struct {
	acct, region string
	vpc          string
	subnets      []string
	sgs          []secGroup
	instances    []string
	volumes      []string
	snapshots    []string
	keys         []kmsKey
	functions    []string
	amis         []string
}

type world struct {
	regions   []string
	accounts  []account
	users     []*user
	byName    map[string]*user
	roles     map[string]*role // "<acct>/<name>"
	sso       []ssoUser
	samlIDP   map[string]string // acct -> identity provider id
	buckets   []bucket
	places    map[string]*place // "<acct>/<region>"
	trails    []trail
	ssoSuffix map[string]string // acct -> suffix of AWSReservedSSO roles
}

const idChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

func randStr(rng *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}

func randHex(rng *rand.Rand, n int) string { return randStr(rng, "0123456789abcdef", n) }

func newWorld(rng *rand.Rand) *world {
	w := &world{
		regions: []string{regionUSE1, regionEUW1, regionAPS2},
		accounts: []account{
			{id: AccountProd, alias: "prod", noise: [3]int{38, 20, 10}},
			{id: AccountDev, alias: "dev", noise: [3]int{16, 10, 4}},
			{id: AccountSecurity, alias: "security", noise: [3]int{12, 4, 4}},
		},
		byName:    make(map[string]*user),
		roles:     make(map[string]*role),
		samlIDP:   make(map[string]string),
		places:    make(map[string]*place),
		ssoSuffix: make(map[string]string),
	}
	homes := []string{"192.0.2.14", "192.0.2.38", "192.0.2.71", "192.0.2.102", "192.0.2.133", "192.0.2.150", "192.0.2.201", "192.0.2.222"}
	mk := func(name, acct, kind string, mfa, console, cli bool, browser, cliUA string, home int) {
		u := &user{
			name: name, acct: acct, kind: kind, mfa: mfa, console: console, cli: cli,
			browser: browser, cliUA: cliUA,
			pid:  "AIDA" + randStr(rng, idChars, 17),
			akid: "AKIA" + randStr(rng, idChars, 16),
			ips:  []string{ipOfficeA, ipOfficeB, homes[home]},
		}
		w.users = append(w.users, u)
		w.byName[name] = u
	}
	mk("alice", AccountProd, "admin", true, true, true, uaChromeMac, uaCLIMac, 0)
	mk("dave", AccountProd, "ops", true, true, true, uaFirefoxWin, uaCLILinux, 1)
	mk("frank", AccountProd, "contractor", false, true, true, uaEdgeWin, uaBoto3, 2)
	mk("bob", AccountDev, "dev", true, true, true, uaSafariMac, uaCLIMac, 3)
	mk("erin", AccountDev, "data", false, true, true, uaChromeLin, uaBoto3Mac, 4)
	mk("heidi", AccountDev, "dev", true, true, true, uaChromeMac, uaCLIMac, 5)
	mk("carol", AccountSecurity, "security", true, true, true, uaFirefoxWin, uaCLILinux, 6)
	mk("grace", AccountSecurity, "security", true, true, false, uaSafariMac, uaCLIMac, 7)
	// The CI user only uses its access key from the CI runner.
	mk("svc-terraform", AccountProd, "ci", false, false, true, "", uaTerraform, 0)
	w.byName["svc-terraform"].ips = []string{ipCI}
	// Dave connects through the VPN when on call.
	w.byName["dave"].ips = append(w.byName["dave"].ips, ipVPN)

	for _, a := range w.accounts {
		mkRole := func(name, path string) {
			w.roles[a.id+"/"+name] = &role{name: name, acct: a.id, path: path, id: "AROA" + randStr(rng, idChars, 17)}
		}
		suffix := randHex(rng, 16)
		w.ssoSuffix[a.id] = suffix
		mkRole("DeployRole", "")
		mkRole("SecurityAuditRole", "")
		mkRole("app-server-role", "")
		mkRole("lambda-exec-role", "service-role/")
		mkRole("AWSServiceRoleForConfig", "aws-service-role/config.amazonaws.com/")
		mkRole("AWSReservedSSO_AdministratorAccess_"+suffix, "aws-reserved/sso.amazonaws.com/")
		mkRole("AWSReservedSSO_ReadOnlyAccess_"+suffix, "aws-reserved/sso.amazonaws.com/")
		w.samlIDP[a.id] = randStr(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 27) + "="

		for _, region := range w.regions {
			p := &place{acct: a.id, region: region, vpc: "vpc-" + randHex(rng, 17)}
			for range 3 {
				p.subnets = append(p.subnets, "subnet-"+randHex(rng, 17))
			}
			for _, n := range []string{"web-alb", "app-servers", "bastion", "rds-postgres", "default"} {
				p.sgs = append(p.sgs, secGroup{id: "sg-" + randHex(rng, 17), name: n, vpc: p.vpc})
			}
			for range 4 + rng.IntN(6) {
				p.instances = append(p.instances, "i-"+randHex(rng, 17))
				p.volumes = append(p.volumes, "vol-"+randHex(rng, 17))
			}
			for range 3 {
				p.snapshots = append(p.snapshots, "snap-"+randHex(rng, 17))
				p.amis = append(p.amis, "ami-"+randHex(rng, 17))
			}
			for _, al := range []string{"alias/app-secrets", "alias/ebs-default", "alias/s3-data"} {
				p.keys = append(p.keys, kmsKey{id: uuidFrom(rng), alias: al})
			}
			p.functions = []string{a.alias + "-orders-api", a.alias + "-thumbnailer", a.alias + "-nightly-report"}
			w.places[a.id+"/"+region] = p
		}
	}

	w.sso = []ssoUser{
		{email: "priya.sharma@example.com", ip: "192.0.2.55", browser: uaChromeMac, admin: true},
		{email: "marco.rossi@example.com", ip: "192.0.2.87", browser: uaFirefoxWin, admin: false},
		{email: "yuki.tanaka@example.com", ip: "192.0.2.176", browser: uaSafariMac, admin: false},
	}

	w.buckets = []bucket{
		{"examplecorp-prod-assets", AccountProd, regionUSE1},
		{"examplecorp-prod-backups", AccountProd, regionUSE1},
		{"examplecorp-web-static", AccountProd, regionUSE1},
		{"examplecorp-prod-eu-customer-data", AccountProd, regionEUW1},
		{"examplecorp-prod-apse2-media", AccountProd, regionAPS2},
		{"examplecorp-dev-scratch", AccountDev, regionUSE1},
		{"examplecorp-dev-artifacts", AccountDev, regionEUW1},
		{"examplecorp-ml-datasets", AccountDev, regionUSE1},
		{"examplecorp-org-cloudtrail-" + AccountSecurity, AccountSecurity, regionUSE1},
		{"examplecorp-config-snapshots", AccountSecurity, regionUSE1},
	}
	w.trails = []trail{
		{"examplecorp-org-trail", AccountSecurity, regionUSE1, "examplecorp-org-cloudtrail-" + AccountSecurity},
		{"prod-management-events", AccountProd, regionUSE1, "examplecorp-prod-backups"},
		{"dev-trail", AccountDev, regionEUW1, "examplecorp-dev-artifacts"},
		{"dev-trail-legacy", AccountDev, regionUSE1, "examplecorp-dev-scratch"},
	}
	return w
}

func (w *world) role(acct, name string) *role {
	r, ok := w.roles[acct+"/"+name]
	if !ok {
		panic(fmt.Sprintf("demo: unknown role %s/%s", acct, name))
	}
	return r
}

func (w *world) ssoRole(acct string, admin bool) *role {
	if admin {
		return w.role(acct, "AWSReservedSSO_AdministratorAccess_"+w.ssoSuffix[acct])
	}
	return w.role(acct, "AWSReservedSSO_ReadOnlyAccess_"+w.ssoSuffix[acct])
}

func (w *world) place(acct, region string) *place { return w.places[acct+"/"+region] }

func (w *world) bucketsOf(acct string) []bucket {
	var out []bucket
	for _, b := range w.buckets {
		if b.acct == acct {
			out = append(out, b)
		}
	}
	return out
}

func (w *world) alias(acct string) string {
	for _, a := range w.accounts {
		if a.id == acct {
			return a.alias
		}
	}
	return acct
}

func uuidFrom(rng *rand.Rand) string {
	const hx = "0123456789abcdef"
	a, b := rng.Uint64(), rng.Uint64()
	var u [16]byte
	for i := range 8 {
		u[i] = byte(a >> (8 * i))
		u[8+i] = byte(b >> (8 * i))
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	out := make([]byte, 0, 36)
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hx[c>>4], hx[c&0xf])
	}
	return string(out)
}
