package demo

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

const timeLayout = "2006-01-02T15:04:05Z"

// event is a generated record with its scenario and exact time.
type event struct {
	t   time.Time
	seq int
	scn string
	rec *record
}

// gen holds the state of one Generate call.
type gen struct {
	rng   *rand.Rand
	w     *world
	start time.Time
	days  int
	// scale multiplies the machine activity (Options.Scale, at least 1).
	scale int
	evs   []event
}

func newGenerator(seed int64, start time.Time, days, scale int) *gen {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	return &gen{rng: rng, w: newWorld(rng), start: start, days: days, scale: scale, evs: make([]event, 0, days*4500*scale)}
}

// actor is whoever makes calls: an identity plus where the calls come from.
type actor struct {
	id      *identity
	arn     string // for error messages
	ip, ua  string
	cliCmd  bool   // append " command/<svc>.<op>" to ua like aws-cli v2
	console bool   // sessionCredentialFromConsole
	service bool   // an AWS service acting: no tlsDetails
	tls12   bool   // client negotiates TLS 1.2
	vpce    string // when set, some calls go through this VPC endpoint
	vpceIP  string // private source IP used with vpce
}

// op is one API call to record.
type op struct {
	src, name       string // src without ".amazonaws.com"
	ro              bool
	req, resp, add  any
	res             []resource
	errCode, errMsg string
	host, region    string // overrides
	eventType       string
	sed             any // serviceEventDetails
	viaVPCE         bool
}

func (o op) fail(code, msg string) op {
	o.errCode, o.errMsg, o.resp = code, msg, nil
	return o
}

// globalSources are services whose events CloudTrail records in us-east-1.
var globalSources = map[string]bool{"iam": true, "sts": true, "signin": true, "ce": true, "account": true, "organizations": true}

// emit records one event and returns it so callers can adjust it.
func (g *gen) emit(scn string, a *actor, t time.Time, acct, region string, o op) *record {
	if globalSources[o.src] {
		region = regionUSE1
	}
	if o.region != "" {
		region = o.region
	}
	et := o.eventType
	if et == "" {
		et = "AwsApiCall"
	}
	version := "1.09"
	if a.service || et == "AwsServiceEvent" {
		version = "1.08"
	}
	ua := a.ua
	if a.cliCmd {
		ua += " command/" + cliService(o.src) + "." + kebab(o.name)
	}
	r := &record{
		EventVersion:        version,
		UserIdentity:        a.id,
		EventTime:           t.Format(timeLayout),
		EventSource:         o.src + ".amazonaws.com",
		EventName:           o.name,
		AWSRegion:           region,
		SourceIPAddress:     a.ip,
		UserAgent:           ua,
		ErrorCode:           o.errCode,
		ErrorMessage:        o.errMsg,
		RequestParameters:   o.req,
		ResponseElements:    o.resp,
		AdditionalEventData: o.add,
		EventID:             g.uuid(),
		ReadOnly:            o.ro,
		Resources:           o.res,
		EventType:           et,
		ManagementEvent:     true,
		RecipientAccountID:  acct,
		ServiceEventDetails: o.sed,
		EventCategory:       "Management",
	}
	if et == "AwsApiCall" {
		if o.src == "s3" {
			r.RequestID = strings.ToUpper(randHex(g.rng, 16))
		} else {
			r.RequestID = g.uuid()
		}
	}
	if !a.service && et != "AwsServiceEvent" {
		host := o.host
		if host == "" {
			host = defaultHost(o.src, region)
		}
		tl := &tlsDetails{TLSVersion: "TLSv1.3", CipherSuite: "TLS_AES_128_GCM_SHA256", ClientProvidedHostHeader: host}
		if a.tls12 {
			tl.TLSVersion, tl.CipherSuite = "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256"
		}
		r.TLSDetails = tl
	}
	if a.console {
		r.SessionCredentialFromConsole = "true"
	}
	if o.viaVPCE && a.vpce != "" {
		r.VPCEndpointID = a.vpce
		r.SourceIPAddress = a.vpceIP
	}
	g.evs = append(g.evs, event{t: t.Truncate(time.Second), seq: len(g.evs), scn: scn, rec: r})
	return r
}

func defaultHost(src, region string) string {
	switch src {
	case "iam":
		return "iam.amazonaws.com"
	case "sts":
		return "sts.amazonaws.com"
	case "signin":
		return "signin.aws.amazon.com"
	case "s3":
		return "s3.amazonaws.com"
	}
	return src + "." + region + ".amazonaws.com"
}

func cliService(src string) string {
	switch src {
	case "s3":
		return "s3api"
	case "monitoring":
		return "cloudwatch"
	case "elasticloadbalancing":
		return "elbv2"
	}
	return src
}

// kebab turns DescribeInstances into describe-instances and drops API
// version suffixes like ListFunctions20150331.
func kebab(name string) string {
	var b strings.Builder
	for i, c := range name {
		if c >= '0' && c <= '9' {
			break
		}
		if c >= 'A' && c <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (g *gen) uuid() string { return uuidFrom(g.rng) }

// chance reports true with probability p.
func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

func pick[T any](g *gen, s []T) T { return s[g.rng.IntN(len(s))] }

// between returns a uniform integer in [lo, hi].
func (g *gen) between(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }

func (g *gen) day(d int) time.Time { return g.start.AddDate(0, 0, d) }

func (g *gen) weekend(d int) bool {
	wd := g.day(d).Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// workTime returns a business-hours time on day d (UTC), peaking early
// afternoon, and leaves room for a session of up to ~2.5 hours.
func (g *gen) workTime(d int) time.Time {
	h := 12.5 + g.rng.NormFloat64()*2.3
	h = max(7.0, min(h, 18.5))
	return g.day(d).Add(time.Duration(h * float64(time.Hour))).Add(time.Duration(g.rng.IntN(60)) * time.Second)
}

// offHoursTime returns a night time on day d (00:05-04:59 or 21:00-22:59 UTC)
// that leaves at least an hour before the next boundary.
func (g *gen) offHoursTime(d int) time.Time {
	var h int
	if g.chance(0.7) {
		h = g.between(0, 3)
	} else {
		h = g.between(21, 22)
	}
	return g.day(d).Add(time.Duration(h)*time.Hour + time.Duration(g.between(5, 55))*time.Minute + time.Duration(g.rng.IntN(60))*time.Second)
}

// gap advances t by a random human think time.
func (g *gen) gap(t time.Time, lo, hi int) time.Time {
	return t.Add(time.Duration(g.between(lo, hi)) * time.Second)
}

// pickDays chooses k distinct days, always including the last one, in
// ascending order.
func (g *gen) pickDays(k int) []int {
	k = max(1, min(k, g.days))
	set := map[int]bool{g.days - 1: true}
	for len(set) < k {
		set[g.rng.IntN(g.days)] = true
	}
	out := make([]int, 0, k)
	for d := range g.days {
		if set[d] {
			out = append(out, d)
		}
	}
	return out
}

// scaled scales a per-three-weeks count to the generated number of days.
func (g *gen) scaled(n int) int { return max(1, (n*g.days+10)/21) }

// Actors.

func (g *gen) asiaKey() *string {
	k := "ASIA" + randStr(g.rng, idChars, 16)
	return &k
}

// userKeyActor is an IAM user calling with its long-term access key.
func (g *gen) userKeyActor(u *user, ip string) *actor {
	key := u.akid
	return &actor{
		id:     &identity{Type: "IAMUser", PrincipalID: u.pid, ARN: u.arn(), AccountID: u.acct, AccessKeyID: &key, UserName: u.name},
		arn:    u.arn(),
		ip:     ip,
		ua:     u.cliUA,
		cliCmd: strings.HasPrefix(u.cliUA, "aws-cli/2"),
	}
}

// userConsoleActor is an IAM user's console session started at t.
func (g *gen) userConsoleActor(u *user, ip string, t time.Time, mfa bool) *actor {
	return &actor{
		id: &identity{Type: "IAMUser", PrincipalID: u.pid, ARN: u.arn(), AccountID: u.acct, AccessKeyID: g.asiaKey(), UserName: u.name,
			SessionContext: &sessionContext{SessionIssuer: &sessionIssuer{}, WebIDFederationData: &struct{}{},
				Attributes: &attributes{CreationDate: t.Format(timeLayout), MFAAuthenticated: fmt.Sprint(mfa)}}},
		arn: u.arn(), ip: ip, ua: u.browser, console: true,
	}
}

// roleActor is a session of role r named session, created at t.
func (g *gen) roleActor(r *role, session string, t time.Time, ip, ua string, key *string, mfa bool) *actor {
	arn := "arn:aws:sts::" + r.acct + ":assumed-role/" + r.name + "/" + session
	if key == nil {
		key = g.asiaKey()
	}
	return &actor{
		id: &identity{Type: "AssumedRole", PrincipalID: r.id + ":" + session, ARN: arn, AccountID: r.acct, AccessKeyID: key,
			SessionContext: &sessionContext{
				SessionIssuer:       &sessionIssuer{Type: "Role", PrincipalID: r.id, ARN: r.arn(), AccountID: r.acct, UserName: r.name},
				WebIDFederationData: &struct{}{},
				Attributes:          &attributes{CreationDate: t.Format(timeLayout), MFAAuthenticated: fmt.Sprint(mfa)}}},
		arn: arn, ip: ip, ua: ua,
	}
}

// serviceActor is an AWS service acting with its own identity.
func serviceActor(svc string) *actor {
	return &actor{id: &identity{Type: "AWSService", InvokedBy: svc}, ip: svc, ua: svc, service: true, arn: svc}
}

// rootActor is the root user of acct; console sessions get session keys.
func (g *gen) rootActor(acct, ip, ua string, t time.Time, mfa bool) *actor {
	return &actor{
		id: &identity{Type: "Root", PrincipalID: acct, ARN: "arn:aws:iam::" + acct + ":root", AccountID: acct, AccessKeyID: g.asiaKey(),
			SessionContext: &sessionContext{Attributes: &attributes{CreationDate: t.Format(timeLayout), MFAAuthenticated: fmt.Sprint(mfa)}}},
		arn: "arn:aws:iam::" + acct + ":root", ip: ip, ua: ua, console: true,
	}
}

func (g *gen) sessionToken() string {
	return "IQoJb3JpZ2luX2VjE" + randStr(g.rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 160)
}

// assumeRole records caller assuming r (in r's account, and also in the
// caller's account with a shared event ID when it is cross-account) and
// returns the new role session. scn is the scenario of the event(s).
func (g *gen) assumeRole(scn string, caller *actor, callerAcct string, t time.Time, r *role, session string) *actor {
	key := g.asiaKey()
	roleSessionARN := "arn:aws:sts::" + r.acct + ":assumed-role/" + r.name + "/" + session
	o := op{src: "sts", name: "AssumeRole", ro: true,
		req: obj{"roleArn": r.arn(), "roleSessionName": session, "durationSeconds": 3600},
		resp: obj{
			"credentials":     obj{"accessKeyId": *key, "sessionToken": g.sessionToken(), "expiration": t.Add(time.Hour).Format("Jan 2, 2006, 3:04:05 PM")},
			"assumedRoleUser": obj{"assumedRoleId": r.id + ":" + session, "arn": roleSessionARN},
		},
		res: []resource{{AccountID: r.acct, Type: "AWS::IAM::Role", ARN: r.arn()}},
	}
	rec := g.emit(scn, caller, t, r.acct, regionUSE1, o)
	if caller.service || callerAcct != r.acct {
		rec.SharedEventID = g.uuid()
	}
	if callerAcct != "" && callerAcct != r.acct {
		twin := g.emit(scn, caller, t, callerAcct, regionUSE1, o)
		twin.SharedEventID = rec.SharedEventID
	}
	a := g.roleActor(r, session, t, caller.ip, caller.ua, key, false)
	a.cliCmd = caller.cliCmd
	return a
}

// check verifies internal invariants before anything is written.
func (g *gen) check(from, to time.Time) error {
	for i := range g.evs {
		e := &g.evs[i]
		if e.t.Before(from) || !e.t.Before(to) {
			return fmt.Errorf("demo: internal error: event %s %s at %s outside [%s, %s)", e.rec.EventSource, e.rec.EventName, e.rec.EventTime, from, to)
		}
	}
	return nil
}

// slotWidth is the delivery interval of the files: every 15 minutes for the
// demo's small organisation, every 5 for scaled-up, busy accounts.
func (g *gen) slotWidth() time.Duration {
	if g.scale > 1 {
		return 5 * time.Minute
	}
	return 15 * time.Minute
}

// files groups events into delivery files per account, region and time slot,
// sorted by time inside each file, and names them.
func (g *gen) files() []logFile {
	slices.SortStableFunc(g.evs, func(a, b event) int {
		if c := a.t.Compare(b.t); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	type key struct {
		acct, region string
		slot         int64
	}
	idx := make(map[key]int)
	var keys []key
	var groups [][]*record
	for i := range g.evs {
		e := &g.evs[i]
		w := g.slotWidth()
		k := key{e.rec.RecipientAccountID, e.rec.AWSRegion, e.t.Unix() / int64(w/time.Second) * int64(w/time.Second)}
		j, ok := idx[k]
		if !ok {
			j = len(keys)
			idx[k] = j
			keys = append(keys, k)
			groups = append(groups, nil)
		}
		groups[j] = append(groups[j], e.rec)
	}
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	out := make([]logFile, len(keys))
	for j, k := range keys {
		ts := time.Unix(k.slot, 0).UTC()
		rel := fmt.Sprintf("AWSLogs/%s/CloudTrail/%s/%s/%s_CloudTrail_%s_%s_%s.json.gz",
			k.acct, k.region, ts.Format("2006/01/02"), k.acct, k.region, ts.Format("20060102T1504Z"), randStr(g.rng, alnum, 16))
		out[j] = logFile{rel: rel, recs: groups[j]}
	}
	return out
}

func (g *gen) run() {
	for d := range g.days {
		g.serviceNoise(d)
		g.humanDay(d)
	}
	g.scenarios()
}
