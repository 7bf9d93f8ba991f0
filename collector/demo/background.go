package demo

import (
	"strconv"
	"time"
)

// serviceNoise records the 24/7 machine activity of day d: AWS services,
// instance and Lambda roles, AWS Config, service AssumeRoles.
func (g *gen) serviceNoise(d int) {
	day := g.day(d)
	weekendFactor := 1.0
	if g.weekend(d) {
		weekendFactor = 0.75
	}
	for _, a := range g.w.accounts {
		for ri, region := range g.w.regions {
			p := g.w.place(a.id, region)
			inst := pick(g, p.instances)
			app := g.roleActor(g.w.role(a.id, "app-server-role"), inst, day, "198.51.100.150", uaJavaSDK, nil, false)
			app.id.SessionContext.EC2RoleDelivery = "2.0"
			app.vpce, app.vpceIP = "vpce-"+randHex(g.rng, 17), "10.0."+strconv.Itoa(g.between(1, 40))+"."+strconv.Itoa(g.between(2, 250))
			fn := pick(g, p.functions)
			lambda := g.roleActor(g.w.role(a.id, "lambda-exec-role"), fn, day, "198.51.100.151", uaGoLambda, nil, false)
			cfg := g.roleActor(g.w.role(a.id, "AWSServiceRoleForConfig"), "AWSConfig-Describe", day, "config.amazonaws.com", "config.amazonaws.com", nil, false)
			cfg.id.InvokedBy, cfg.service = "config.amazonaws.com", true

			var burst time.Time
			for h := range 24 {
				work := h >= 7 && h < 20
				mean := float64(a.noise[ri]*g.scale) * weekendFactor
				if !work {
					mean *= 0.6 // application load follows the users
				}
				n := int(mean/2) + g.rng.IntN(int(mean)+1)
				hour := day.Add(time.Duration(h) * time.Hour)
				// Busy places see a steady stream during the working day;
				// otherwise the hour's machine activity comes in one burst
				// (scheduled jobs, Config recorder runs, credential refresh).
				busy := a.noise[ri] >= 15
				// A scaled-up organisation is busy around the clock.
				steady := (work && busy) || g.scale > 1
				period := 3 // hours between bursts
				if busy {
					period = 2
				}
				if h%period == 0 {
					burst = hour.Add(time.Duration(g.rng.IntN(3600-300)) * time.Second)
				}
				for range n {
					t := hour.Add(time.Duration(g.rng.IntN(3600)) * time.Second)
					if !steady {
						t = burst.Add(time.Duration(g.rng.IntN(300)) * time.Second)
					}
					g.serviceEvent(a.id, region, p, t, app, lambda, cfg)
				}
			}
			// Customer managed keys with a short rotation period rotate now and then.
			if g.chance(0.08) {
				k := pick(g, p.keys)
				t := day.Add(time.Duration(g.rng.IntN(86400)) * time.Second)
				acct := a.id
				g.emit(ScenarioBackground, &actor{id: &identity{AccountID: acct, InvokedBy: "AWS Internal"}, ip: "AWS Internal", ua: "AWS Internal", service: true},
					t, acct, region, op{src: "kms", name: "RotateKey", eventType: "AwsServiceEvent",
						res: g.keyResource(acct, region, k), sed: obj{"keyId": k.id}})
			}
		}
	}
}

func (g *gen) serviceEvent(acct, region string, p *place, t time.Time, app, lambda, cfg *actor) {
	x := g.rng.IntN(100)
	switch {
	case x < 16: // KMS decrypts on behalf of services
		k := pick(g, p.keys)
		svc := pick(g, []string{"secretsmanager.amazonaws.com", "ssm.amazonaws.com", "s3.amazonaws.com", "rds.amazonaws.com"})
		g.emit(ScenarioBackground, serviceActor(svc), t, acct, region, op{src: "kms", name: "Decrypt", ro: true,
			req: obj{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": obj{"aws:" + svc[:len(svc)-len(".amazonaws.com")] + ":arn": "arn:aws:" + svc[:len(svc)-len(".amazonaws.com")] + ":" + region + ":" + acct + ":" + randHex(g.rng, 12)}},
			res: g.keyResource(acct, region, k)})
	case x < 30: // application servers
		spec := pick(g, []string{"secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameter", "ec2:DescribeTags", "sts:GetCallerIdentity"})
		o := g.read(spec, acct, region)
		o.viaVPCE = g.chance(0.5) && o.src != "sts"
		g.emit(ScenarioBackground, app, t, acct, region, o)
	case x < 44: // Lambda functions
		switch g.rng.IntN(3) {
		case 0:
			g.emit(ScenarioBackground, lambda, t, acct, region, op{src: "logs", name: "CreateLogStream",
				req: obj{"logGroupName": "/aws/lambda/" + pick(g, p.functions), "logStreamName": t.Format("2006/01/02") + "/[$LATEST]" + randHex(g.rng, 32)}})
		case 1:
			g.emit(ScenarioBackground, lambda, t, acct, region, g.read("dynamodb:DescribeTable", acct, region))
		default:
			k := pick(g, p.keys)
			g.emit(ScenarioBackground, lambda, t, acct, region, op{src: "kms", name: "GenerateDataKey", ro: true,
				req: obj{"keyId": k.alias, "keySpec": "AES_256"}, res: g.keyResource(acct, region, k)})
		}
	case x < 62: // AWS Config recording configuration
		spec := pick(g, menuConfigOps)
		g.emit(ScenarioBackground, cfg, t, acct, region, g.read(spec, acct, region))
	case x < 70: // services assuming their roles
		switch g.rng.IntN(3) {
		case 0:
			g.assumeRole(ScenarioAssumeRole, serviceActor("lambda.amazonaws.com"), "", t, g.w.role(acct, "lambda-exec-role"), pick(g, p.functions))
		case 1:
			g.assumeRole(ScenarioAssumeRole, serviceActor("ec2.amazonaws.com"), "", t, g.w.role(acct, "app-server-role"), pick(g, p.instances))
		default:
			g.assumeRole(ScenarioAssumeRole, serviceActor("config.amazonaws.com"), "", t, g.w.role(acct, "AWSServiceRoleForConfig"), "AWSConfig-Describe")
		}
	case x < 82 && region == regionUSE1 && acct == AccountSecurity: // trail and config delivery checks
		b := g.w.bucketsOf(acct)[g.rng.IntN(2)]
		svc := "cloudtrail.amazonaws.com"
		if b.name == "examplecorp-config-snapshots" {
			svc = "config.amazonaws.com"
		}
		o := g.s3Op("GetBucketAcl", b, "acl", true, nil)
		o.req.(obj)["Host"] = b.name + ".s3.amazonaws.com"
		g.emit(ScenarioBackground, serviceActor(svc), t, acct, region, o)
	case x < 88: // Auto Scaling health checks
		g.emit(ScenarioBackground, serviceActor("autoscaling.amazonaws.com"), t, acct, region, g.read("ec2:DescribeInstanceStatus", acct, region))
	default: // ELB / CloudWatch internals
		g.emit(ScenarioBackground, serviceActor("elasticloadbalancing.amazonaws.com"), t, acct, region, g.read("ec2:DescribeNetworkInterfaces", acct, region))
	}
}

// favRegion picks the region a human works in.
func (g *gen) favRegion(acct string) string {
	x := g.rng.IntN(100)
	switch {
	case x < 62:
		return regionUSE1
	case x < 88 || acct == AccountSecurity:
		return regionEUW1
	}
	return regionAPS2
}

// humanDay records the routine human and CI activity of day d.
func (g *gen) humanDay(d int) {
	weekend := g.weekend(d)
	for _, u := range g.w.users {
		if u.kind == "ci" {
			continue
		}
		p := 0.9
		if d == g.days-1 && (u.name == "alice" || u.name == "frank") {
			p = 1 // someone always signs in on the last day, with and without MFA
		} else if weekend {
			p = 0.06
			if u.kind == "admin" || u.kind == "ops" {
				p = 0.2
			}
		}
		if !g.chance(p) {
			continue
		}
		if u.console {
			sessions := 1
			if !weekend && g.chance(0.35) {
				sessions = 2
			}
			for range sessions {
				t := g.workTime(d)
				if weekend {
					t = g.day(d).Add(time.Duration(g.between(9*60, 19*60)) * time.Minute)
				}
				g.consoleSession(u, pick(g, u.ips[:3]), t, g.between(12, 70))
			}
		}
		if u.cli && !weekend {
			for range g.between(1, 3) {
				g.cliSession(u, pick(g, u.ips), g.workTime(d), g.between(4, 35))
			}
		}
	}
	// On-call engineers sometimes work in the evening from home (legitimate
	// off-hours activity, not from the suspicious IP).
	if g.chance(0.3) {
		u := g.w.byName[pick(g, []string{"dave", "alice"})]
		t := g.day(d).Add(time.Duration(g.between(20*60+30, 22*60+30)) * time.Minute)
		g.cliSession(u, u.ips[len(u.ips)-1], t, g.between(5, 20))
	}
	for _, s := range g.w.sso {
		if weekend || !g.chance(0.85) {
			continue
		}
		acct := pick(g, []string{AccountProd, AccountDev, AccountDev})
		g.ssoSession(s, acct, g.workTime(d), g.between(10, 50))
	}
	runs := g.between(3, 8)
	if weekend {
		runs = g.rng.IntN(2)
	}
	for range runs {
		acct := pick(g, []string{AccountProd, AccountDev, AccountDev})
		t := g.workTime(d)
		if g.chance(0.15) {
			t = g.day(d).Add(time.Duration(g.between(60, 23*60-30)) * time.Minute) // scheduled drift checks
		}
		g.ciRun(acct, t, g.between(20, 90))
	}
	if !weekend {
		g.securityAudit(d)
	}
}

// consoleLogin records a successful IAM user console sign-in and returns the
// console session.
// A non-empty scn overrides the scenario of the sign-in event.
func (g *gen) consoleLogin(u *user, ip string, t time.Time, scn string) *actor {
	natural := ScenarioConsoleLoginNoMFA
	add := obj{"LoginTo": "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_" + randHex(g.rng, 16), "MobileVersion": "No", "MFAUsed": "No"}
	if u.mfa {
		natural = ScenarioConsoleLoginMFA
		add["MFAUsed"] = "Yes"
		add["MFAIdentifier"] = "arn:aws:iam::" + u.acct + ":mfa/" + u.name
	}
	if scn == "" {
		scn = natural
	}
	empty := ""
	id := &identity{Type: "IAMUser", PrincipalID: u.pid, ARN: u.arn(), AccountID: u.acct, AccessKeyID: &empty, UserName: u.name}
	g.emit(scn, &actor{id: id, ip: ip, ua: u.browser}, t, u.acct, regionUSE1, op{src: "signin", name: "ConsoleLogin",
		resp: obj{"ConsoleLogin": "Success"}, add: add, eventType: "AwsConsoleSignIn"})
	return g.userConsoleActor(u, ip, t, u.mfa)
}

// failedLogin records a failed console sign-in for userName in acct.
func (g *gen) failedLogin(acct, userName, ip, ua string, t time.Time) {
	empty := ""
	id := &identity{Type: "IAMUser", AccountID: acct, AccessKeyID: &empty, UserName: userName}
	r := g.emit(ScenarioConsoleLoginFailed, &actor{id: id, ip: ip, ua: ua}, t, acct, regionUSE1, op{src: "signin", name: "ConsoleLogin",
		resp: obj{"ConsoleLogin": "Failure"}, eventType: "AwsConsoleSignIn",
		add: obj{"LoginTo": "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true", "MobileVersion": "No", "MFAUsed": "No"}})
	r.ErrorMessage = "Failed authentication"
}

// consoleSession records a sign-in followed by n console reads and returns
// the session and the time of its last event.
func (g *gen) consoleSession(u *user, ip string, t time.Time, n int) (*actor, time.Time) {
	if g.chance(0.05) {
		g.failedLogin(u.acct, u.name, ip, u.browser, t.Add(-time.Duration(g.between(20, 90))*time.Second))
	}
	a := g.consoleLogin(u, ip, t, "")
	menu := menuConsoleOps
	if u.kind == "security" {
		menu = menuSecurityOps
	}
	region := g.favRegion(u.acct)
	for range n {
		t = g.gap(t, 3, 150)
		if g.chance(0.1) {
			region = g.favRegion(u.acct)
		}
		a.ua = uaInternal
		if g.chance(0.35) {
			a.ua = u.browser
		}
		g.emit(ScenarioBackground, a, t, u.acct, region, g.read(pick(g, menu), u.acct, region))
	}
	a.ua = u.browser
	return a, t
}

// cliSession records n calls made with u's access key in a short burst.
func (g *gen) cliSession(u *user, ip string, t time.Time, n int) (*actor, time.Time) {
	a := g.userKeyActor(u, ip)
	menu := menuCLIOps
	if u.kind == "security" {
		menu = menuSecurityOps
	}
	region := g.favRegion(u.acct)
	for range n {
		t = g.gap(t, 1, 40)
		g.emit(ScenarioBackground, a, t, u.acct, region, g.read(pick(g, menu), u.acct, region))
	}
	return a, t
}

// ssoSession records an IAM Identity Center federation into acct followed
// by n console calls.
func (g *gen) ssoSession(s ssoUser, acct string, t time.Time, n int) (*actor, time.Time) {
	r := g.w.ssoRole(acct, s.admin)
	idp := g.w.samlIDP[acct]
	key := g.asiaKey()
	saml := &actor{id: &identity{Type: "SAMLUser", PrincipalID: idp + ":" + s.email, UserName: s.email, IdentityProvider: idp}, ip: s.ip, ua: uaSSO}
	g.emit(ScenarioBackground, saml, t, acct, regionUSE1, op{src: "sts", name: "AssumeRoleWithSAML", ro: true,
		req: obj{"sAMLAssertionID": "_" + g.uuid(), "roleSessionName": s.email, "principalArn": "arn:aws:iam::" + acct + ":saml-provider/AWSSSO_" + g.w.ssoSuffix[acct] + "_DO_NOT_DELETE",
			"roleArn": r.arn(), "durationSeconds": 43200},
		resp: obj{"credentials": obj{"accessKeyId": *key, "sessionToken": g.sessionToken(), "expiration": t.Add(12 * time.Hour).Format("Jan 2, 2006, 3:04:05 PM")},
			"assumedRoleUser": obj{"assumedRoleId": r.id + ":" + s.email, "arn": "arn:aws:sts::" + acct + ":assumed-role/" + r.name + "/" + s.email},
			"subject":         s.email, "subjectType": "persistent", "issuer": "https://portal.sso.us-east-1.amazonaws.com/saml/assertion/" + randStr(g.rng, idChars, 24),
			"audience": "https://signin.aws.amazon.com/saml", "nameQualifier": idp},
		res: []resource{{AccountID: acct, Type: "AWS::IAM::Role", ARN: r.arn()}, {AccountID: acct, Type: "AWS::IAM::SAMLProvider", ARN: "arn:aws:iam::" + acct + ":saml-provider/AWSSSO_" + g.w.ssoSuffix[acct] + "_DO_NOT_DELETE"}}})
	a := g.roleActor(r, s.email, t, s.ip, s.browser, key, false)
	a.console = true
	region := g.favRegion(acct)
	for range n {
		t = g.gap(t, 3, 150)
		a.ua = uaInternal
		if g.chance(0.35) {
			a.ua = s.browser
		}
		g.emit(ScenarioBackground, a, t, acct, region, g.read(pick(g, menuConsoleOps), acct, region))
	}
	a.ua = s.browser
	return a, t
}

// ciRun records a Terraform run by the CI user: it assumes DeployRole in
// acct and refreshes state with n reads. It returns the DeployRole session.
func (g *gen) ciRun(acct string, t time.Time, n int) (*actor, time.Time) {
	u := g.w.byName["svc-terraform"]
	ci := g.userKeyActor(u, ipCI)
	g.emit(ScenarioBackground, ci, t, u.acct, regionUSE1, g.read("sts:GetCallerIdentity", u.acct, regionUSE1))
	t = g.gap(t, 1, 3)
	a := g.assumeRole(ScenarioAssumeRole, ci, u.acct, t, g.w.role(acct, "DeployRole"), "terraform-"+strconv.FormatInt(t.Unix(), 10))
	region := pick(g, []string{regionUSE1, regionUSE1, regionEUW1, regionAPS2})
	for range n {
		t = t.Add(time.Duration(g.rng.IntN(1500)) * time.Millisecond)
		g.emit(ScenarioBackground, a, t, acct, region, g.read(pick(g, menuTerraformOps), acct, region))
	}
	if g.chance(0.3) { // an apply that only retags or redeploys code
		t = g.gap(t, 5, 40)
		p := g.w.place(acct, region)
		if g.chance(0.5) {
			g.emit(ScenarioBackground, a, t, acct, region, op{src: "ec2", name: "CreateTags",
				req:  obj{"resourcesSet": items(obj{"resourceId": pick(g, p.instances)}), "tagSet": items(obj{"key": "last-deploy", "value": t.Format("2006-01-02")})},
				resp: obj{"requestId": g.uuid(), "_return": true}})
		} else {
			fn := pick(g, p.functions)
			g.emit(ScenarioBackground, a, t, acct, region, op{src: "lambda", name: "UpdateFunctionCode20150331v2",
				req:  obj{"functionName": fn, "s3Bucket": "examplecorp-dev-artifacts", "s3Key": fn + "/" + randHex(g.rng, 12) + ".zip", "publish": true},
				resp: obj{"functionName": fn, "functionArn": "arn:aws:lambda:" + region + ":" + acct + ":function:" + fn, "runtime": "provided.al2023", "state": "Active", "lastUpdateStatus": "InProgress"}})
		}
	}
	return a, t
}

// securityAudit records the security team's daily cross-account review:
// carol assumes SecurityAuditRole in prod and dev (cross-account AssumeRole
// events carry a sharedEventID) and looks around.
func (g *gen) securityAudit(d int) {
	carol := g.w.byName["carol"]
	t := g.workTime(d)
	ci := g.userKeyActor(carol, pick(g, carol.ips[:2]))
	for _, acct := range []string{AccountProd, AccountDev} {
		a := g.assumeRole(ScenarioAssumeRole, ci, carol.acct, t, g.w.role(acct, "SecurityAuditRole"), "carol-audit")
		for range g.between(6, 18) {
			t = g.gap(t, 1, 30)
			region := g.favRegion(acct)
			g.emit(ScenarioBackground, a, t, acct, region, g.read(pick(g, menuSecurityOps), acct, region))
		}
		t = g.gap(t, 30, 300)
	}
}
