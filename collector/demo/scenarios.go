package demo

import (
	"strconv"
	"time"
)

const adminPolicy = "arn:aws:iam::aws:policy/AdministratorAccess"

// scenarios records the scripted security stories on top of the routine
// activity. Rare stories happen on several days and always on the last one.
func (g *gen) scenarios() {
	g.rootActivity()
	g.bruteForce()
	g.sgOpenToWorld()
	g.sgRoutine()
	g.bucketStories()
	g.iamStories()
	g.accessDenied()
	g.tampering()
	g.deletionStories()
	g.publicResources()
	g.attacker()
}

func (g *gen) someDay() int { return g.rng.IntN(g.days) }

// weekdayOrLast reports how many routine changes happen on day d: a few on
// weekdays, none on weekends, at least min on the last day.
func (g *gen) routineCount(d, lo, hi, minLast int) int {
	n := 0
	if !g.weekend(d) {
		n = g.between(lo, hi)
	}
	if d == g.days-1 {
		n = max(n, minLast)
	}
	return n
}

// changeActor returns someone making a change in acct at about t, after
// recording how they got there: a Terraform run, a console session or an
// SSO session. It returns the actor and the time of the change.
func (g *gen) changeActor(acct string, t time.Time) (*actor, time.Time) {
	var a *actor
	switch x := g.rng.IntN(10); {
	case x < 5:
		a, t = g.ciRun(acct, t, g.between(15, 40))
	case x < 8:
		var cands []*user
		for _, u := range g.w.users {
			if u.acct == acct && u.console {
				cands = append(cands, u)
			}
		}
		if len(cands) == 0 {
			a, t = g.ciRun(acct, t, g.between(15, 40))
			break
		}
		u := pick(g, cands)
		a, t = g.consoleSession(u, pick(g, u.ips[:3]), t, g.between(3, 12))
	default:
		a, t = g.ssoSession(g.w.sso[0], acct, t, g.between(3, 12))
	}
	return a, g.gap(t, 5, 90)
}

func (g *gen) rootActivity() {
	alice := g.w.byName["alice"]
	for i, d := range g.pickDays(g.scaled(4)) {
		acct := AccountProd
		if i%3 == 1 {
			acct = AccountSecurity
		}
		ip := pick(g, alice.ips[:3])
		t := g.workTime(d)
		mfa := d != g.days-1 // the most recent root login has no MFA
		add := obj{"LoginTo": "https://console.aws.amazon.com/billing/home?state=hashArgs%23&isauthcode=true", "MobileVersion": "No", "MFAUsed": "No"}
		if mfa {
			add["MFAUsed"] = "Yes"
			add["MFAIdentifier"] = "arn:aws:iam::" + acct + ":mfa/root-account-mfa-device"
		}
		empty := ""
		id := &identity{Type: "Root", PrincipalID: acct, ARN: "arn:aws:iam::" + acct + ":root", AccountID: acct, AccessKeyID: &empty}
		g.emit(ScenarioRootConsoleLogin, &actor{id: id, ip: ip, ua: alice.browser}, t, acct, regionUSE1,
			op{src: "signin", name: "ConsoleLogin", resp: obj{"ConsoleLogin": "Success"}, add: add, eventType: "AwsConsoleSignIn"})

		a := g.rootActor(acct, ip, uaInternal, t, mfa)
		calls := []op{
			g.read("iam:GetAccountSummary", acct, regionUSE1),
			g.read("ce:GetCostAndUsage", acct, regionUSE1),
			{src: "account", name: "GetContactInformation", ro: true},
			{src: "iam", name: "ListMFADevices", ro: true},
		}
		switch i % 3 {
		case 0:
			calls = append(calls, op{src: "iam", name: "CreateAccessKey",
				resp: obj{"accessKey": obj{"accessKeyId": "AKIA" + randStr(g.rng, idChars, 16), "status": "Active", "createDate": t.Add(4 * time.Minute).Format("Jan 2, 2006, 3:04:05 PM")}}})
		case 1:
			calls = append(calls, op{src: "iam", name: "UpdateAccountPasswordPolicy",
				req: obj{"minimumPasswordLength": 14, "requireSymbols": true, "requireNumbers": true, "requireUppercaseCharacters": true,
					"requireLowercaseCharacters": true, "allowUsersToChangePassword": true, "maxPasswordAge": 90, "passwordReusePrevention": 24}})
		default:
			calls = append(calls, op{src: "account", name: "PutAlternateContact",
				req: obj{"alternateContactType": "SECURITY", "emailAddress": "security@example.com", "name": "Security Team", "phoneNumber": "+1-555-0100", "title": "SecOps"}})
		}
		for _, o := range calls[:g.between(3, len(calls))] {
			t = g.gap(t, 10, 120)
			g.emit(ScenarioRootAPICall, a, t, acct, regionUSE1, o)
		}
		if len(calls) == 5 && i%3 == 0 { // make sure the root access key creation happens
			t = g.gap(t, 10, 60)
			g.emit(ScenarioRootAPICall, a, t, acct, regionUSE1, calls[4])
		}
	}
}

func (g *gen) bruteForce() {
	const botUA = "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0"
	for _, d := range g.pickDays(g.scaled(3)) {
		t := g.day(d).Add(time.Duration(g.between(30, 22*60)) * time.Minute)
		acct := pick(g, []string{AccountProd, AccountProd, AccountDev})
		for range g.between(6, 14) {
			name := "HIDDEN_DUE_TO_SECURITY_REASONS"
			if g.chance(0.4) {
				name = pick(g, []string{"alice", "frank", "admin"})
			}
			if name == "admin" {
				name = "HIDDEN_DUE_TO_SECURITY_REASONS"
			}
			g.failedLogin(acct, name, ipBruteForce, botUA, t)
			t = g.gap(t, 3, 25)
		}
	}
}

// ingress builds an Authorize/RevokeSecurityGroupIngress call.
func (g *gen) ingress(name string, acct, region string, sg secGroup, proto string, port int, cidrs, cidrs6 []string, desc string) op {
	ranges, ranges6, rules := arr{}, arr{}, arr{}
	for _, c := range cidrs {
		ranges = append(ranges, obj{"cidrIp": c, "description": desc})
		rules = append(rules, obj{"groupOwnerId": acct, "groupId": sg.id, "securityGroupRuleId": "sgr-" + randHex(g.rng, 17), "isEgress": false,
			"ipProtocol": proto, "fromPort": port, "toPort": port, "cidrIpv4": c, "description": desc})
	}
	for _, c := range cidrs6 {
		ranges6 = append(ranges6, obj{"cidrIpv6": c, "description": desc})
		rules = append(rules, obj{"groupOwnerId": acct, "groupId": sg.id, "securityGroupRuleId": "sgr-" + randHex(g.rng, 17), "isEgress": false,
			"ipProtocol": proto, "fromPort": port, "toPort": port, "cidrIpv6": c, "description": desc})
	}
	perm := obj{"ipProtocol": proto, "fromPort": port, "toPort": port, "groups": obj{}, "ipRanges": obj{}, "ipv6Ranges": obj{}, "prefixListIds": obj{}}
	if len(ranges) > 0 {
		perm["ipRanges"] = items(ranges...)
	}
	if len(ranges6) > 0 {
		perm["ipv6Ranges"] = items(ranges6...)
	}
	o := op{src: "ec2", name: name, req: obj{"groupId": sg.id, "ipPermissions": items(perm)}}
	if name == "AuthorizeSecurityGroupIngress" {
		o.resp = obj{"requestId": g.uuid(), "_return": true, "securityGroupRuleSet": items(rules...)}
	} else {
		o.resp = obj{"requestId": g.uuid(), "_return": true}
	}
	return o
}

func (g *gen) sgOpenToWorld() {
	ports := []int{22, 3389, 5432, 9200}
	for i, d := range g.pickDays(g.scaled(4)) {
		acct := []string{AccountProd, AccountDev, AccountDev}[i%3]
		region := g.favRegion(acct)
		p := g.w.place(acct, region)
		a, t := g.changeActor(acct, g.workTime(d))
		sg := pick(g, p.sgs[1:4])
		var v6 []string
		if i%3 == 1 {
			v6 = []string{"::/0"}
		}
		port := ports[i%len(ports)]
		g.emit(ScenarioSGOpenToWorld, a, t, acct, region, g.ingress("AuthorizeSecurityGroupIngress", acct, region, sg, "tcp", port, []string{"0.0.0.0/0"}, v6, "temp debug access"))
		if g.chance(0.5) { // someone notices and closes it again
			t = t.Add(time.Duration(g.between(20, 110)) * time.Minute)
			g.emit(ScenarioSGChange, a, t, acct, region, g.ingress("RevokeSecurityGroupIngress", acct, region, sg, "tcp", port, []string{"0.0.0.0/0"}, v6, "temp debug access"))
		}
	}
}

func (g *gen) sgRoutine() {
	for d := range g.days {
		for range g.routineCount(d, 0, 3, 1) {
			acct := pick(g, []string{AccountProd, AccountDev, AccountDev})
			region := g.favRegion(acct)
			p := g.w.place(acct, region)
			a, t := g.changeActor(acct, g.workTime(d))
			sg := pick(g, p.sgs)
			var o op
			switch g.rng.IntN(6) {
			case 0:
				o = g.ingress("AuthorizeSecurityGroupIngress", acct, region, sg, "tcp", 443, []string{"10.20.0.0/16"}, nil, "internal https")
			case 1:
				o = g.ingress("RevokeSecurityGroupIngress", acct, region, sg, "tcp", 8080, []string{"10.0.0.0/8"}, nil, "legacy app port")
			case 2:
				o = g.ingress("AuthorizeSecurityGroupIngress", acct, region, sg, "tcp", 5432, []string{"10.30.4.0/24"}, nil, "app subnet to postgres")
			case 3:
				name := "app-" + randHex(g.rng, 6)
				id := "sg-" + randHex(g.rng, 17)
				o = op{src: "ec2", name: "CreateSecurityGroup",
					req:  obj{"groupName": name, "groupDescription": "Managed by Terraform", "vpcId": p.vpc},
					resp: obj{"requestId": g.uuid(), "_return": true, "groupId": id, "securityGroupArn": "arn:aws:ec2:" + region + ":" + acct + ":security-group/" + id}}
			case 4:
				o = op{src: "ec2", name: "AuthorizeSecurityGroupEgress",
					req: obj{"groupId": sg.id, "ipPermissions": items(obj{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "groups": obj{},
						"ipRanges": items(obj{"cidrIp": "10.0.0.0/8"}), "ipv6Ranges": obj{}, "prefixListIds": obj{}})},
					resp: obj{"requestId": g.uuid(), "_return": true}}
			default:
				o = op{src: "ec2", name: "ModifySecurityGroupRules",
					req: obj{"ModifySecurityGroupRulesRequest": obj{"GroupId": sg.id, "SecurityGroupRule": obj{"SecurityGroupRuleId": "sgr-" + randHex(g.rng, 17),
						"SecurityGroupRule": obj{"Description": "bastion from office", "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": ipOfficeA + "/32"}}}},
					resp: obj{"ModifySecurityGroupRulesResponse": obj{"requestId": g.uuid(), "return": true}}}
			}
			g.emit(ScenarioSGChange, a, t, acct, region, o)
		}
	}
}

func policyDoc(stmts ...obj) obj {
	s := make(arr, len(stmts))
	for i, st := range stmts {
		s[i] = st
	}
	return obj{"Version": "2012-10-17", "Statement": s}
}

func (g *gen) bucketStories() {
	// A bucket made public: Block Public Access switched off, then a
	// policy allowing everyone to read.
	publicBuckets := []string{"examplecorp-web-static", "examplecorp-dev-scratch", "examplecorp-ml-datasets"}
	for i, d := range g.pickDays(g.scaled(3)) {
		var b bucket
		for _, x := range g.w.buckets {
			if x.name == publicBuckets[i%len(publicBuckets)] {
				b = x
			}
		}
		a, t := g.changeActor(b.acct, g.workTime(d))
		cfg := obj{"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/", "BlockPublicAcls": false, "IgnorePublicAcls": false, "BlockPublicPolicy": false, "RestrictPublicBuckets": false}
		if i%2 == 1 {
			cfg["BlockPublicAcls"], cfg["IgnorePublicAcls"] = true, true
		}
		g.emit(ScenarioPublicAccessBlockDisabled, a, t, b.acct, b.region, g.s3Op("PutBucketPublicAccessBlock", b, "publicAccessBlock", false,
			obj{"PublicAccessBlockConfiguration": cfg}))
		t = g.gap(t, 40, 300)
		var principal any = "*"
		if i%2 == 1 {
			principal = obj{"AWS": "*"}
		}
		pol := policyDoc(obj{"Sid": "PublicReadGetObject", "Effect": "Allow", "Principal": principal, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + b.name + "/*"})
		g.emit(ScenarioBucketPolicyChange, a, t, b.acct, b.region, g.s3Op("PutBucketPolicy", b, "policy", false, obj{"bucketPolicy": pol}))
	}
	// Routine, non-public policy updates.
	for _, d := range g.pickDays(g.scaled(6)) {
		b := pick(g, g.w.buckets)
		a, t := g.changeActor(b.acct, g.workTime(d))
		var pol obj
		if g.chance(0.5) {
			pol = policyDoc(obj{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
				"Resource":  arr{"arn:aws:s3:::" + b.name, "arn:aws:s3:::" + b.name + "/*"},
				"Condition": obj{"Bool": obj{"aws:SecureTransport": "false"}}})
		} else {
			pol = policyDoc(obj{"Sid": "AllowCloudFrontServicePrincipal", "Effect": "Allow", "Principal": obj{"Service": "cloudfront.amazonaws.com"},
				"Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + b.name + "/*",
				"Condition": obj{"StringEquals": obj{"AWS:SourceArn": "arn:aws:cloudfront::" + b.acct + ":distribution/E" + randStr(g.rng, idChars, 13)}}})
		}
		g.emit(ScenarioBucketPolicyChange, a, t, b.acct, b.region, g.s3Op("PutBucketPolicy", b, "policy", false, obj{"bucketPolicy": pol}))
	}
}

func iamUserRes(acct, name string) []resource {
	return []resource{{AccountID: acct, Type: "AWS::IAM::User", ARN: "arn:aws:iam::" + acct + ":user/" + name}}
}

func (g *gen) iamStories() {
	// Routine IAM work through Terraform.
	for d := range g.days {
		for range g.routineCount(d, 0, 2, 1) {
			acct := pick(g, []string{AccountProd, AccountDev, AccountDev})
			a, t := g.ciRun(acct, g.workTime(d), g.between(10, 30))
			t = g.gap(t, 2, 20)
			roleName := pick(g, []string{"app-server-role", "lambda-exec-role", "orders-worker-role", "etl-glue-role"})
			polName := pick(g, []string{"app-s3-access", "orders-sqs-consume", "etl-read-raw", "ci-artifacts-write"})
			doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::examplecorp-` + g.w.alias(acct) + `-assets/*"}]}`
			var o op
			switch g.rng.IntN(6) {
			case 0:
				o = op{src: "iam", name: "CreatePolicy", req: obj{"policyName": polName + "-" + randHex(g.rng, 4), "policyDocument": doc},
					resp: obj{"policy": obj{"policyName": polName, "policyId": "ANPA" + randStr(g.rng, idChars, 17), "arn": "arn:aws:iam::" + acct + ":policy/" + polName,
						"defaultVersionId": "v1", "attachmentCount": 0, "isAttachable": true}}}
			case 1:
				o = op{src: "iam", name: "CreatePolicyVersion", req: obj{"policyArn": "arn:aws:iam::" + acct + ":policy/" + polName, "policyDocument": doc, "setAsDefault": true},
					resp: obj{"policyVersion": obj{"versionId": "v" + strconv.Itoa(g.between(2, 5)), "isDefaultVersion": true}}}
			case 2:
				o = op{src: "iam", name: "AttachRolePolicy", req: obj{"roleName": roleName, "policyArn": pick(g, []string{
					"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy", "arn:aws:iam::" + acct + ":policy/" + polName})}}
			case 3:
				o = op{src: "iam", name: "PutRolePolicy", req: obj{"roleName": roleName, "policyName": polName, "policyDocument": doc}}
			case 4:
				o = op{src: "iam", name: "CreateRole", req: obj{"roleName": roleName + "-" + randHex(g.rng, 4),
					"assumeRolePolicyDocument": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`},
					resp: obj{"role": obj{"path": "/", "roleName": roleName, "roleId": "AROA" + randStr(g.rng, idChars, 17), "arn": "arn:aws:iam::" + acct + ":role/" + roleName}}}
			default:
				o = op{src: "iam", name: "UpdateAssumeRolePolicy", req: obj{"roleName": roleName,
					"policyDocument": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`}}
			}
			g.emit(ScenarioIAMPolicyChange, a, t, acct, regionUSE1, o)
		}
	}

	alice := g.w.byName["alice"]
	// AdministratorAccess attached to users (and once to a role and a group).
	for i, d := range g.pickDays(g.scaled(2)) {
		if i%2 == 0 {
			a, t := g.consoleSession(alice, pick(g, alice.ips[:3]), g.workTime(d), g.between(3, 10))
			g.emit(ScenarioIAMPolicyChange, a, g.gap(t, 5, 60), alice.acct, regionUSE1, op{src: "iam", name: "AttachUserPolicy",
				req: obj{"userName": "dave", "policyArn": adminPolicy}})
		} else {
			heidi := g.w.byName["heidi"]
			a, t := g.cliSession(heidi, pick(g, heidi.ips), g.workTime(d), g.between(2, 6))
			g.emit(ScenarioIAMPolicyChange, a, g.gap(t, 5, 60), heidi.acct, regionUSE1, op{src: "iam", name: "AttachUserPolicy",
				req: obj{"userName": "heidi", "policyArn": adminPolicy}})
		}
	}
	{
		d := g.someDay()
		a, t := g.ciRun(AccountDev, g.workTime(d), g.between(10, 20))
		g.emit(ScenarioIAMPolicyChange, a, g.gap(t, 2, 20), AccountDev, regionUSE1, op{src: "iam", name: "AttachRolePolicy",
			req: obj{"roleName": "etl-glue-role", "policyArn": adminPolicy}})
		d = g.someDay()
		a, t = g.consoleSession(alice, pick(g, alice.ips[:3]), g.workTime(d), g.between(3, 10))
		g.emit(ScenarioIAMPolicyChange, a, g.gap(t, 5, 60), alice.acct, regionUSE1, op{src: "iam", name: "AttachGroupPolicy",
			req: obj{"groupName": "platform-admins", "policyArn": adminPolicy}})
		t = g.gap(t, 60, 300)
		g.emit(ScenarioIAMPolicyChange, a, t, alice.acct, regionUSE1, op{src: "iam", name: "PutUserPolicy",
			req: obj{"userName": "frank", "policyName": "contractor-extra",
				"policyDocument": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`}})
	}
	// New users with console access and keys.
	newUsers := []string{"svc-backup", "temp-contractor-01", "data-pipeline"}
	for i, d := range g.pickDays(g.scaled(2)) {
		name := newUsers[i%len(newUsers)]
		a, t := g.consoleSession(alice, pick(g, alice.ips[:3]), g.workTime(d), g.between(3, 10))
		t = g.gap(t, 5, 60)
		g.emit(ScenarioIAMPolicyChange, a, t, alice.acct, regionUSE1, op{src: "iam", name: "CreateUser", req: obj{"userName": name},
			resp: obj{"user": obj{"path": "/", "userName": name, "userId": "AIDA" + randStr(g.rng, idChars, 17), "arn": "arn:aws:iam::" + alice.acct + ":user/" + name,
				"createDate": t.Format("Jan 2, 2006, 3:04:05 PM")}}, res: iamUserRes(alice.acct, name)})
		t = g.gap(t, 10, 60)
		g.emit(ScenarioIAMPolicyChange, a, t, alice.acct, regionUSE1, op{src: "iam", name: "CreateLoginProfile",
			req:  obj{"userName": name, "passwordResetRequired": true},
			resp: obj{"loginProfile": obj{"userName": name, "createDate": t.Format("Jan 2, 2006, 3:04:05 PM"), "passwordResetRequired": true}}})
		t = g.gap(t, 10, 60)
		g.emit(ScenarioIAMPolicyChange, a, t, alice.acct, regionUSE1, g.createAccessKey(name, t))
	}
	// Access key rotation: a new key, later the old one is deleted.
	for _, d := range g.pickDays(g.scaled(4)) {
		var cands []*user
		for _, u := range g.w.users {
			if u.cli && u.kind != "ci" {
				cands = append(cands, u)
			}
		}
		u := pick(g, cands)
		a := g.userKeyActor(u, pick(g, u.ips[:3]))
		t := g.workTime(d)
		g.emit(ScenarioIAMPolicyChange, a, t, u.acct, regionUSE1, g.createAccessKey(u.name, t))
		t = g.gap(t, 120, 1800)
		g.emit(ScenarioDeletions, a, t, u.acct, regionUSE1, op{src: "iam", name: "DeleteAccessKey",
			req: obj{"userName": u.name, "accessKeyId": "AKIA" + randStr(g.rng, idChars, 16)}})
	}
	// MFA device removed (and usually re-registered).
	for i, d := range g.pickDays(g.scaled(2)) {
		target := []string{"frank", "bob", "dave"}[i%3]
		owner := g.w.byName[target]
		admin := alice
		if owner.acct == AccountDev {
			admin = g.w.byName["heidi"]
		}
		a, t := g.consoleSession(admin, pick(g, admin.ips[:3]), g.workTime(d), g.between(3, 8))
		t = g.gap(t, 5, 60)
		serial := "arn:aws:iam::" + owner.acct + ":mfa/" + target
		g.emit(ScenarioIAMPolicyChange, a, t, owner.acct, regionUSE1, op{src: "iam", name: "DeactivateMFADevice",
			req: obj{"userName": target, "serialNumber": serial}})
		if i%2 == 0 {
			t = g.gap(t, 300, 1500)
			g.emit(ScenarioIAMPolicyChange, a, t, owner.acct, regionUSE1, op{src: "iam", name: "EnableMFADevice",
				req: obj{"userName": target, "serialNumber": serial}})
		}
	}
}

func (g *gen) createAccessKey(userName string, t time.Time) op {
	return op{src: "iam", name: "CreateAccessKey", req: obj{"userName": userName},
		resp: obj{"accessKey": obj{"userName": userName, "accessKeyId": "AKIA" + randStr(g.rng, idChars, 16), "status": "Active",
			"createDate": t.Format("Jan 2, 2006, 3:04:05 PM")}}}
}

func (g *gen) accessDenied() {
	for d := range g.days {
		n := g.between(3, 12)
		if g.weekend(d) {
			n = g.between(0, 3)
		}
		if d == g.days-1 {
			n = max(n, 2)
		}
		for range n {
			t := g.workTime(d)
			if g.weekend(d) {
				t = g.day(d).Add(time.Duration(g.between(9*60, 19*60)) * time.Minute)
			}
			g.deniedCall(t)
		}
	}
}

// deniedCall records one failed call by a legitimate identity.
func (g *gen) deniedCall(t time.Time) {
	u := func(name string) *user { return g.w.byName[name] }
	switch g.rng.IntN(9) {
	case 0:
		bob := u("bob")
		a := g.userKeyActor(bob, pick(g, bob.ips[:3]))
		o := op{src: "iam", name: "ListUsers", ro: true}
		g.emit(ScenarioAccessDenied, a, t, bob.acct, regionUSE1, o.fail("AccessDenied", denyMsg(a, "iam:ListUsers", "arn:aws:iam::"+bob.acct+":user/")))
	case 1:
		heidi := u("heidi")
		a := g.userKeyActor(heidi, pick(g, heidi.ips[:3]))
		region := g.favRegion(heidi.acct)
		p := g.w.place(heidi.acct, region)
		o := op{src: "ec2", name: "RunInstances", req: obj{"instancesSet": items(obj{"imageId": pick(g, p.amis), "minCount": 1, "maxCount": 1}),
			"instanceType": pick(g, []string{"p4d.24xlarge", "g5.12xlarge", "m7i.8xlarge"}), "blockDeviceMapping": obj{}, "monitoring": obj{"enabled": false},
			"disableApiTermination": false, "disableApiStop": false, "clientToken": g.uuid()}}
		g.emit(ScenarioAccessDenied, a, t, heidi.acct, region, o.fail("Client.UnauthorizedOperation",
			"You are not authorized to perform this operation. User: "+a.arn+" is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:"+region+":"+heidi.acct+
				":instance/* because no identity-based policy allows the ec2:RunInstances action. Encoded authorization failure message: "+randStr(g.rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 96)))
	case 2:
		erin := u("erin")
		a := g.userKeyActor(erin, pick(g, erin.ips[:3]))
		o := g.read("s3:GetBucketPolicy", erin.acct, regionUSE1)
		g.emit(ScenarioAccessDenied, a, t, erin.acct, o.region, o.fail("NoSuchBucketPolicy", "The bucket policy does not exist"))
	case 3:
		acct := pick(g, []string{AccountProd, AccountDev})
		a, tt := g.ciRun(acct, t, g.between(5, 15))
		name := pick(g, []string{"orders-worker-role", "etl-glue-role", "reporting-role"})
		o := op{src: "iam", name: "GetRole", ro: true, req: obj{"roleName": name}}
		g.emit(ScenarioAccessDenied, a, g.gap(tt, 1, 5), acct, regionUSE1, o.fail("NoSuchEntityException", "The role with name "+name+" cannot be found."))
	case 4:
		grace := u("grace")
		a, tt := g.consoleSession(grace, pick(g, grace.ips[:3]), t, g.between(2, 6))
		region := g.favRegion(grace.acct)
		k := pick(g, g.w.place(grace.acct, region).keys)
		o := op{src: "kms", name: "Decrypt", ro: true, req: obj{"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}, res: g.keyResource(grace.acct, region, k)}
		g.emit(ScenarioAccessDenied, a, g.gap(tt, 5, 40), grace.acct, region, o.fail("AccessDenied",
			"User: "+a.arn+" is not authorized to perform: kms:Decrypt on resource: "+keyARN(grace.acct, region, k.id)+" because no resource-based policy allows the kms:Decrypt action"))
	case 5:
		frank := u("frank")
		a := g.userKeyActor(frank, pick(g, frank.ips[:3]))
		region := g.favRegion(frank.acct)
		o := g.read("secretsmanager:GetSecretValue", frank.acct, region)
		g.emit(ScenarioAccessDenied, a, t, frank.acct, region, o.fail("AccessDenied", denyMsg(a, "secretsmanager:GetSecretValue", o.req.(obj)["secretId"].(string))))
	case 6:
		bob := u("bob")
		a := g.userKeyActor(bob, pick(g, bob.ips[:3]))
		r := g.w.role(AccountProd, "DeployRole")
		o := op{src: "sts", name: "AssumeRole", ro: true, req: obj{"roleArn": r.arn(), "roleSessionName": "bob-prod"}}
		g.emit(ScenarioAccessDenied, a, t, bob.acct, regionUSE1, o.fail("AccessDenied", "User: "+a.arn+" is not authorized to perform: sts:AssumeRole on resource: "+r.arn()))
	case 7:
		acct := pick(g, []string{AccountProd, AccountDev})
		region := g.favRegion(acct)
		p := g.w.place(acct, region)
		fn := pick(g, p.functions)
		a := g.roleActor(g.w.role(acct, "lambda-exec-role"), fn, g.day(int(t.Sub(g.start)/(24*time.Hour))), "198.51.100.151", uaGoLambda, nil, false)
		o := g.read("ssm:GetParameter", acct, region)
		g.emit(ScenarioAccessDenied, a, t, acct, region, o.fail("AccessDeniedException", denyMsg(a, "ssm:GetParameter",
			"arn:aws:ssm:"+region+":"+acct+":parameter"+o.req.(obj)["name"].(string))))
	default:
		dave := u("dave")
		a := g.userKeyActor(dave, pick(g, dave.ips[:3]))
		region := g.favRegion(dave.acct)
		o := op{src: "ssm", name: "GetParameter", ro: true, req: obj{"name": "/prod/app/legacy-endpoint", "withDecryption": false}}
		g.emit(ScenarioAccessDenied, a, t, dave.acct, region, o.fail("ParameterNotFound", "Parameter /prod/app/legacy-endpoint not found."))
	}
}

func trailARN(tr trail) string {
	return "arn:aws:cloudtrail:" + tr.region + ":" + tr.acct + ":trail/" + tr.name
}

func (g *gen) trailByName(name string) trail {
	for _, tr := range g.w.trails {
		if tr.name == name {
			return tr
		}
	}
	panic("demo: unknown trail " + name)
}

func (g *gen) tampering() {
	days := g.pickDays(g.scaled(4))
	for i, d := range days {
		t := g.workTime(d)
		step := i % 3
		if d == g.days-1 {
			step = 3
		}
		switch step {
		case 0: // trail moved to another bucket and key by Terraform
			tr := g.trailByName("prod-management-events")
			a, tt := g.ciRun(tr.acct, t, g.between(10, 25))
			k := g.w.place(tr.acct, tr.region).keys[2]
			g.emit(ScenarioCloudTrailTampering, a, g.gap(tt, 2, 10), tr.acct, tr.region, op{src: "cloudtrail", name: "UpdateTrail",
				req: obj{"name": tr.name, "s3BucketName": "examplecorp-prod-trail-archive", "kmsKeyId": keyARN(tr.acct, tr.region, k.id)},
				resp: obj{"name": tr.name, "s3BucketName": "examplecorp-prod-trail-archive", "includeGlobalServiceEvents": true, "isMultiRegionTrail": true,
					"trailARN": trailARN(tr), "logFileValidationEnabled": true, "kmsKeyId": keyARN(tr.acct, tr.region, k.id), "isOrganizationTrail": false}})
		case 1: // management read events excluded
			tr := g.trailByName("prod-management-events")
			a, tt := g.ciRun(tr.acct, t, g.between(10, 25))
			sel := arr{obj{"readWriteType": "WriteOnly", "includeManagementEvents": true, "dataResources": arr{}, "excludeManagementEventSources": arr{"kms.amazonaws.com"}}}
			g.emit(ScenarioCloudTrailTampering, a, g.gap(tt, 2, 10), tr.acct, tr.region, op{src: "cloudtrail", name: "PutEventSelectors",
				req: obj{"trailName": tr.name, "eventSelectors": sel}, resp: obj{"trailARN": trailARN(tr), "eventSelectors": sel}})
		case 2: // legacy trail deleted, global events switched off on another
			dev := g.w.byName["bob"]
			tr := g.trailByName("dev-trail-legacy")
			a := g.userKeyActor(dev, pick(g, dev.ips[:3]))
			g.emit(ScenarioCloudTrailTampering, a, t, tr.acct, tr.region, op{src: "cloudtrail", name: "DeleteTrail", req: obj{"name": trailARN(tr)}})
			tr = g.trailByName("dev-trail")
			t = g.gap(t, 60, 600)
			g.emit(ScenarioCloudTrailTampering, a, t, tr.acct, tr.region, op{src: "cloudtrail", name: "UpdateTrail",
				req: obj{"name": tr.name, "includeGlobalServiceEvents": false},
				resp: obj{"name": tr.name, "s3BucketName": tr.bucket, "includeGlobalServiceEvents": false, "isMultiRegionTrail": false,
					"trailARN": trailARN(tr), "logFileValidationEnabled": true, "isOrganizationTrail": false}})
		default: // logging stopped from the console
			tr := g.trailByName("dev-trail")
			heidi := g.w.byName["heidi"]
			a, tt := g.consoleSession(heidi, pick(g, heidi.ips[:3]), t, g.between(3, 10))
			g.emit(ScenarioCloudTrailTampering, a, g.gap(tt, 5, 60), tr.acct, tr.region, op{src: "cloudtrail", name: "StopLogging", req: obj{"name": trailARN(tr)}})
		}
	}
}

func (g *gen) deletionStories() {
	for d := range g.days {
		for range g.routineCount(d, 0, 3, 1) {
			acct := pick(g, []string{AccountProd, AccountDev, AccountDev})
			region := g.favRegion(acct)
			p := g.w.place(acct, region)
			a, t := g.changeActor(acct, g.workTime(d))
			var o op
			switch g.rng.IntN(9) {
			case 0:
				o = op{src: "ec2", name: "DeleteSnapshot", req: obj{"snapshotId": pick(g, p.snapshots)}, resp: obj{"requestId": g.uuid(), "_return": true}}
			case 1:
				o = op{src: "logs", name: "DeleteLogGroup", req: obj{"logGroupName": "/aws/lambda/" + g.w.alias(acct) + "-tmp-" + randHex(g.rng, 6)}}
			case 2:
				o = op{src: "ec2", name: "DeleteSecurityGroup", req: obj{"groupId": "sg-" + randHex(g.rng, 17)}, resp: obj{"requestId": g.uuid(), "_return": true}}
			case 3:
				o = op{src: "lambda", name: "DeleteFunction20150331", req: obj{"functionName": g.w.alias(acct) + "-experiment-" + randHex(g.rng, 4)}}
			case 4:
				o = op{src: "rds", name: "DeleteDBSnapshot", req: obj{"dBSnapshotIdentifier": "manual-" + randHex(g.rng, 8)},
					resp: obj{"dBSnapshotIdentifier": "manual-snapshot", "status": "deleted"}}
			case 5:
				o = op{src: "ec2", name: "DeleteVolume", req: obj{"volumeId": "vol-" + randHex(g.rng, 17)}, resp: obj{"requestId": g.uuid(), "_return": true}}
			case 6:
				o = op{src: "ssm", name: "DeleteParameter", req: obj{"name": "/" + g.w.alias(acct) + "/old/" + randHex(g.rng, 6)}}
			case 7:
				o = op{src: "cloudformation", name: "DeleteStack", req: obj{"stackName": g.w.alias(acct) + "-preview-" + randHex(g.rng, 5)}}
			default:
				o = op{src: "iam", name: "DeleteRolePolicy", req: obj{"roleName": "app-server-role", "policyName": "legacy-inline"}}
			}
			g.emit(ScenarioDeletions, a, t, acct, region, o)
		}
	}
	for _, d := range g.pickDays(g.scaled(2)) { // flow logs removed
		acct := pick(g, []string{AccountProd, AccountDev})
		region := g.favRegion(acct)
		a, t := g.changeActor(acct, g.workTime(d))
		g.emit(ScenarioDeletions, a, t, acct, region, op{src: "ec2", name: "DeleteFlowLogs",
			req:  obj{"DeleteFlowLogsRequest": obj{"FlowLogId": obj{"tag": 1, "content": "fl-" + randHex(g.rng, 17)}}},
			resp: obj{"DeleteFlowLogsResponse": obj{"xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/", "requestId": g.uuid(), "unsuccessful": ""}}})
	}
	for _, d := range g.pickDays(g.scaled(2)) { // KMS key scheduled for deletion
		acct := pick(g, []string{AccountProd, AccountDev})
		region := g.favRegion(acct)
		k := g.w.place(acct, region).keys[g.rng.IntN(3)]
		a, t := g.changeActor(acct, g.workTime(d))
		g.emit(ScenarioDeletions, a, t, acct, region, op{src: "kms", name: "ScheduleKeyDeletion",
			req:  obj{"keyId": k.id, "pendingWindowInDays": 7},
			resp: obj{"keyId": keyARN(acct, region, k.id), "deletionDate": t.AddDate(0, 0, 8).Format("Jan 2, 2006, 3:04:05 PM"), "keyState": "PendingDeletion", "pendingWindowInDays": 7},
			res:  g.keyResource(acct, region, k)})
	}
	{ // an old dev VPC and bucket torn down, a key pair removed
		d := g.someDay()
		region := regionAPS2
		a, t := g.changeActor(AccountDev, g.workTime(d))
		g.emit(ScenarioDeletions, a, t, AccountDev, region, op{src: "ec2", name: "DeleteRouteTable", req: obj{"routeTableId": "rtb-" + randHex(g.rng, 17)}, resp: obj{"requestId": g.uuid(), "_return": true}})
		t = g.gap(t, 5, 60)
		g.emit(ScenarioDeletions, a, t, AccountDev, region, op{src: "ec2", name: "DeleteVpc", req: obj{"vpcId": "vpc-" + randHex(g.rng, 17)}, resp: obj{"requestId": g.uuid(), "_return": true}})
		t = g.gap(t, 5, 60)
		g.emit(ScenarioDeletions, a, t, AccountDev, region, op{src: "ec2", name: "DeleteKeyPair", req: obj{"keyName": "bastion-old"}, resp: obj{"requestId": g.uuid(), "_return": true}})
		d = g.someDay()
		b := bucket{name: "examplecorp-dev-tmp-" + randHex(g.rng, 6), acct: AccountDev, region: regionUSE1}
		a, t = g.changeActor(AccountDev, g.workTime(d))
		o := g.s3Op("DeleteBucket", b, "", false, nil)
		g.emit(ScenarioDeletions, a, t, AccountDev, regionUSE1, o)
	}
}

func (g *gen) publicResources() {
	bob := g.w.byName["bob"]
	for _, d := range g.pickDays(g.scaled(2)) {
		region := g.favRegion(bob.acct)
		a, t := g.cliSession(bob, pick(g, bob.ips[:3]), g.workTime(d), g.between(2, 6))
		g.emit(ScenarioPublicResource, a, g.gap(t, 5, 40), bob.acct, region, g.shareSnapshot(bob.acct, region, "all"))
	}
	{
		d := g.someDay()
		region := g.favRegion(AccountDev)
		a, t := g.changeActor(AccountDev, g.workTime(d))
		g.emit(ScenarioPublicResource, a, t, AccountDev, region, op{src: "ec2", name: "ModifyImageAttribute",
			req:  obj{"imageId": pick(g, g.w.place(AccountDev, region).amis), "attributeType": "launchPermission", "launchPermission": obj{"add": items(obj{"group": "all"})}},
			resp: obj{"requestId": g.uuid(), "_return": true}})

		d = g.someDay()
		var b bucket
		for _, x := range g.w.buckets {
			if x.name == "examplecorp-prod-apse2-media" {
				b = x
			}
		}
		a, t = g.changeActor(b.acct, g.workTime(d))
		owner := randHex(g.rng, 64)
		g.emit(ScenarioPublicResource, a, t, b.acct, b.region, g.s3Op("PutBucketAcl", b, "acl", false, obj{"AccessControlPolicy": obj{
			"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
			"Owner": obj{"ID": owner},
			"AccessControlList": obj{"Grant": arr{
				obj{"Grantee": obj{"xsi:type": "CanonicalUser", "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance", "ID": owner}, "Permission": "FULL_CONTROL"},
				obj{"Grantee": obj{"xsi:type": "Group", "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"},
			}}}}))

		d = g.someDay()
		region = g.favRegion(AccountDev)
		p := g.w.place(AccountDev, region)
		a, t = g.changeActor(AccountDev, g.workTime(d))
		inst := "i-" + randHex(g.rng, 17)
		g.emit(ScenarioPublicResource, a, t, AccountDev, region, op{src: "ec2", name: "RunInstances",
			req: obj{"instancesSet": items(obj{"imageId": pick(g, p.amis), "minCount": 1, "maxCount": 1}), "instanceType": "t3.micro",
				"blockDeviceMapping": obj{}, "monitoring": obj{"enabled": false}, "disableApiTermination": false, "disableApiStop": false,
				"networkInterfaceSet": items(obj{"deviceIndex": 0, "subnetId": p.subnets[0], "associatePublicIpAddress": true,
					"groupSet": items(obj{"groupId": p.sgs[2].id})})},
			resp: obj{"requestId": g.uuid(), "reservationId": "r-" + randHex(g.rng, 17), "ownerId": AccountDev, "groupSet": obj{},
				"instancesSet": items(obj{"instanceId": inst, "imageId": pick(g, p.amis), "instanceState": obj{"code": 0, "name": "pending"},
					"instanceType": "t3.micro", "subnetId": p.subnets[0], "vpcId": p.vpc})},
			res: []resource{{AccountID: AccountDev, Type: "AWS::EC2::Instance", ARN: "arn:aws:ec2:" + region + ":" + AccountDev + ":instance/" + inst}}})
	}
}

func (g *gen) shareSnapshot(acct, region, with string) op {
	perm := obj{"group": with}
	if with != "all" {
		perm = obj{"userId": with}
	}
	return op{src: "ec2", name: "ModifySnapshotAttribute",
		req:  obj{"snapshotId": pick(g, g.w.place(acct, region).snapshots), "attributeType": "CREATE_VOLUME_PERMISSION", "createVolumePermission": obj{"add": items(perm)}},
		resp: obj{"requestId": g.uuid(), "_return": true}}
}

// attacker records the off-hours activity of a stolen access key (frank's)
// used from SuspiciousIP: reconnaissance with many AccessDenied errors, a
// console login without MFA, and once a full escalation (backdoor admin
// user, public snapshot, flow logs deleted, logging stopped).
func (g *gen) attacker() {
	frank := g.w.byName["frank"]
	days := g.pickDays(g.scaled(3))
	for i, d := range days {
		t := g.offHoursTime(d)
		a := g.userKeyActor(frank, SuspiciousIP)
		a.ua, a.cliCmd, a.tls12 = uaAttacker, false, true
		t = g.recon(a, frank.acct, t, g.between(12, 22))
		if i == 1 || len(days) == 1 {
			t = g.gap(t, 60, 300)
			c := g.consoleLogin(frank, SuspiciousIP, t, ScenarioOffHoursSuspiciousIP)
			c.ua = uaChromeLin
			g.evs[len(g.evs)-1].rec.UserAgent = uaChromeLin
			for range g.between(3, 8) {
				t = g.gap(t, 5, 60)
				region := g.favRegion(frank.acct)
				g.emit(ScenarioOffHoursSuspiciousIP, c, t, frank.acct, region, g.read(pick(g, []string{"s3:ListBuckets", "ec2:DescribeInstances", "iam:ListUsers", "secretsmanager:ListSecrets"}), frank.acct, region))
			}
		}
		if i == 0 && len(days) > 1 || len(days) == 1 {
			g.escalate(a, frank.acct, g.gap(t, 30, 180))
		}
	}
}

// recon records n discovery calls, some denied; it returns the last time.
func (g *gen) recon(a *actor, acct string, t time.Time, n int) time.Time {
	for range n {
		t = g.gap(t, 2, 25)
		region := pick(g, g.w.regions)
		o := g.read(pick(g, menuAttackerRecon), acct, region)
		if (o.src == "iam" || o.src == "secretsmanager") && g.chance(0.5) {
			o = o.fail("AccessDenied", denyMsg(a, o.src+":"+o.name, "arn:aws:"+o.src+"::"+acct+":*"))
		}
		g.emit(ScenarioOffHoursSuspiciousIP, a, t, acct, region, o)
	}
	for range 2 {
		t = g.gap(t, 2, 15)
		o := g.read("secretsmanager:GetSecretValue", acct, regionUSE1)
		g.emit(ScenarioOffHoursSuspiciousIP, a, t, acct, regionUSE1, o.fail("AccessDeniedException", denyMsg(a, "secretsmanager:GetSecretValue", o.req.(obj)["secretId"].(string))))
	}
	return t
}

func (g *gen) escalate(a *actor, acct string, t time.Time) {
	const name = "support-sync"
	scn := ScenarioOffHoursSuspiciousIP
	g.emit(scn, a, t, acct, regionUSE1, op{src: "iam", name: "CreateUser", req: obj{"userName": name},
		resp: obj{"user": obj{"path": "/", "userName": name, "userId": "AIDA" + randStr(g.rng, idChars, 17), "arn": "arn:aws:iam::" + acct + ":user/" + name,
			"createDate": t.Format("Jan 2, 2006, 3:04:05 PM")}}, res: iamUserRes(acct, name)})
	t = g.gap(t, 3, 20)
	g.emit(scn, a, t, acct, regionUSE1, op{src: "iam", name: "AttachUserPolicy", req: obj{"userName": name, "policyArn": adminPolicy}})
	t = g.gap(t, 3, 20)
	keyOp := g.createAccessKey(name, t)
	g.emit(scn, a, t, acct, regionUSE1, keyOp)
	t = g.gap(t, 3, 20)
	g.emit(scn, a, t, acct, regionUSE1, op{src: "iam", name: "CreateLoginProfile", req: obj{"userName": name, "passwordResetRequired": false},
		resp: obj{"loginProfile": obj{"userName": name, "createDate": t.Format("Jan 2, 2006, 3:04:05 PM"), "passwordResetRequired": false}}})

	// The backdoor user takes over.
	key := keyOp.resp.(obj)["accessKey"].(obj)["accessKeyId"].(string)
	b := &actor{id: &identity{Type: "IAMUser", PrincipalID: "AIDA" + randStr(g.rng, idChars, 17), ARN: "arn:aws:iam::" + acct + ":user/" + name,
		AccountID: acct, AccessKeyID: &key, UserName: name}, arn: "arn:aws:iam::" + acct + ":user/" + name, ip: SuspiciousIP, ua: uaAttacker2, tls12: true}
	t = g.gap(t, 30, 120)
	g.emit(scn, b, t, acct, regionUSE1, g.read("sts:GetCallerIdentity", acct, regionUSE1))
	region := regionUSE1
	t = g.gap(t, 3, 20)
	g.emit(scn, b, t, acct, region, g.read("ec2:DescribeSnapshots", acct, region))
	t = g.gap(t, 3, 20)
	g.emit(scn, b, t, acct, region, g.shareSnapshot(acct, region, "all"))
	t = g.gap(t, 3, 20)
	g.emit(scn, b, t, acct, region, g.shareSnapshot(acct, region, "098765432109"))
	t = g.gap(t, 10, 60)
	g.emit(scn, b, t, acct, region, op{src: "ec2", name: "DeleteFlowLogs",
		req:  obj{"DeleteFlowLogsRequest": obj{"FlowLogId": obj{"tag": 1, "content": "fl-" + randHex(g.rng, 17)}}},
		resp: obj{"DeleteFlowLogsResponse": obj{"xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/", "requestId": g.uuid(), "unsuccessful": ""}}})
	tr := g.trailByName("prod-management-events")
	t = g.gap(t, 10, 60)
	g.emit(scn, b, t, tr.acct, tr.region, op{src: "cloudtrail", name: "StopLogging", req: obj{"name": trailARN(tr)}})
	t = g.gap(t, 5, 30)
	g.emit(scn, b, t, acct, regionUSE1, op{src: "guardduty", name: "DeleteDetector", req: obj{"detectorId": randHex(g.rng, 32)}})
}
