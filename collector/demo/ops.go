package demo

import "strings"

// Menus of read-only calls ("<service>:<EventName>"); repetition is weight.
var (
	menuConsoleOps = []string{
		"ec2:DescribeInstances", "ec2:DescribeInstances", "ec2:DescribeInstances", "ec2:DescribeInstanceStatus",
		"ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeVolumes", "ec2:DescribeAddresses", "ec2:DescribeKeyPairs",
		"ec2:DescribeImages", "ec2:DescribeSecurityGroups",
		"s3:ListBuckets", "s3:ListBuckets", "s3:GetBucketLocation", "s3:GetBucketVersioning", "s3:GetBucketEncryption", "s3:GetBucketTagging",
		"monitoring:DescribeAlarms", "monitoring:DescribeAlarms", "monitoring:GetMetricData", "monitoring:GetMetricData",
		"lambda:ListFunctions20150331", "lambda:GetFunction20150331v2",
		"logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:FilterLogEvents",
		"rds:DescribeDBInstances", "rds:DescribeDBClusters",
		"cloudformation:DescribeStacks", "cloudformation:ListStacks",
		"ce:GetCostAndUsage", "health:DescribeEventAggregates",
		"iam:ListUsers", "iam:ListRoles", "iam:GetUser", "iam:ListMFADevices", "iam:GetAccountSummary",
	}
	menuSecurityOps = []string{
		"guardduty:ListDetectors", "guardduty:ListFindings", "guardduty:GetFindings", "guardduty:GetFindings",
		"securityhub:GetFindings", "securityhub:GetFindings", "securityhub:DescribeHub",
		"config:DescribeConfigRules", "config:DescribeComplianceByConfigRule",
		"cloudtrail:LookupEvents", "cloudtrail:LookupEvents", "cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors",
		"iam:ListUsers", "iam:ListRoles", "iam:GetAccountPasswordPolicy", "iam:ListAccessKeys", "iam:GetAccountSummary", "iam:ListPolicies",
		"access-analyzer:ListFindings", "s3:ListBuckets", "s3:GetBucketAcl", "s3:GetBucketLogging",
		"ec2:DescribeSecurityGroups", "ec2:DescribeFlowLogs", "kms:ListAliases", "kms:GetKeyRotationStatus",
	}
	menuCLIOps = []string{
		"sts:GetCallerIdentity", "sts:GetCallerIdentity", "s3:ListBuckets", "s3:ListBuckets", "s3:GetBucketLocation",
		"ec2:DescribeInstances", "ec2:DescribeInstances", "ec2:DescribeRegions", "ec2:DescribeImages",
		"logs:DescribeLogGroups", "logs:FilterLogEvents", "lambda:ListFunctions20150331", "lambda:GetFunction20150331v2",
		"ssm:GetParameter", "ssm:DescribeInstanceInformation", "ecr:DescribeRepositories", "ecr:GetAuthorizationToken",
		"eks:DescribeCluster", "eks:ListClusters", "cloudformation:DescribeStacks", "dynamodb:ListTables", "dynamodb:DescribeTable",
		"iam:ListRoles", "iam:GetRole", "kms:ListAliases", "sqs:ListQueues",
	}
	menuTerraformOps = []string{
		"sts:GetCallerIdentity", "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
		"ec2:DescribeInstances", "ec2:DescribeVpcAttribute", "ec2:DescribeRouteTables", "ec2:DescribeNetworkAcls",
		"ec2:DescribeInstanceAttribute", "ec2:DescribeVolumes", "ec2:DescribeTags",
		"iam:GetRole", "iam:GetRole", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies", "iam:GetPolicy", "iam:GetPolicyVersion",
		"s3:GetBucketVersioning", "s3:GetBucketEncryption", "s3:GetBucketTagging", "s3:GetBucketLogging", "s3:GetBucketAcl",
		"kms:DescribeKey", "kms:GetKeyRotationStatus", "kms:ListResourceTags",
		"lambda:GetFunction20150331v2", "lambda:GetPolicy20150331v2", "logs:DescribeLogGroups", "logs:ListTagsLogGroup",
		"rds:DescribeDBInstances", "rds:DescribeDBSubnetGroups", "elasticloadbalancing:DescribeLoadBalancers",
		"elasticloadbalancing:DescribeTargetGroups", "dynamodb:DescribeTable", "dynamodb:DescribeContinuousBackups",
	}
	menuConfigOps = []string{
		"ec2:DescribeSecurityGroups", "ec2:DescribeInstances", "ec2:DescribeVolumes", "ec2:DescribeNetworkInterfaces",
		"ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeRouteTables", "ec2:DescribeNetworkAcls",
		"rds:DescribeDBInstances", "lambda:ListFunctions20150331", "kms:ListAliases",
	}
	menuAttackerRecon = []string{
		"sts:GetCallerIdentity", "s3:ListBuckets", "iam:ListUsers", "iam:ListRoles", "iam:ListAttachedUserPolicies",
		"ec2:DescribeInstances", "ec2:DescribeRegions", "ec2:DescribeSnapshots", "secretsmanager:ListSecrets",
		"lambda:ListFunctions20150331", "rds:DescribeDBInstances", "iam:ListAccessKeys", "ssm:DescribeParameters",
	}
)

func splitSpec(spec string) (src, name string) {
	i := strings.IndexByte(spec, ':')
	return spec[:i], spec[i+1:]
}

// s3Extra is the additionalEventData of s3 bucket-level calls.
func (g *gen) s3Extra(out int) obj {
	return obj{
		"SignatureVersion":     "SigV4",
		"CipherSuite":          "TLS_AES_128_GCM_SHA256",
		"bytesTransferredIn":   0,
		"AuthenticationMethod": "AuthHeader",
		"x-amz-id-2":           randStr(g.rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 56) + "=",
		"bytesTransferredOut":  out,
	}
}

// s3Op is a bucket-level s3 call; sub is the query sub-resource ("policy",
// "acl", ...).
func (g *gen) s3Op(name string, b bucket, sub string, ro bool, extra obj) op {
	req := obj{"bucketName": b.name, "Host": b.name + ".s3." + b.region + ".amazonaws.com"}
	if sub != "" {
		req[sub] = ""
	}
	for k, v := range extra {
		req[k] = v
	}
	out := 0
	if ro {
		out = g.between(180, 2400)
	}
	return op{src: "s3", name: name, ro: ro, req: req, add: g.s3Extra(out), region: b.region,
		host: b.name + ".s3." + b.region + ".amazonaws.com",
		res:  []resource{{AccountID: b.acct, Type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::" + b.name}}}
}

func keyARN(acct, region, id string) string {
	return "arn:aws:kms:" + region + ":" + acct + ":key/" + id
}

func (g *gen) keyResource(acct, region string, k kmsKey) []resource {
	return []resource{{AccountID: acct, Type: "AWS::KMS::Key", ARN: keyARN(acct, region, k.id)}}
}

var s3Subresource = map[string]string{
	"GetBucketLocation": "location", "GetBucketVersioning": "versioning", "GetBucketEncryption": "encryption",
	"GetBucketTagging": "tagging", "GetBucketAcl": "acl", "GetBucketLogging": "logging", "GetBucketPolicy": "policy",
}

// read builds a read-only call described by spec for acct/region.
func (g *gen) read(spec, acct, region string) op {
	src, name := splitSpec(spec)
	p := g.w.place(acct, region)
	o := op{src: src, name: name, ro: true}
	switch name {
	case "DescribeInstances":
		if g.chance(0.4) {
			o.req = obj{"instancesSet": items(obj{"instanceId": pick(g, p.instances)}), "filterSet": obj{}}
		} else {
			o.req = obj{"instancesSet": obj{}, "filterSet": obj{}}
		}
	case "DescribeInstanceStatus":
		o.req = obj{"instancesSet": obj{}, "filterSet": obj{}, "includeAllInstances": true}
	case "DescribeInstanceAttribute":
		o.req = obj{"instanceId": pick(g, p.instances), "attribute": pick(g, []string{"userData", "disableApiTermination", "instanceInitiatedShutdownBehavior"})}
	case "DescribeVpcs":
		o.req = obj{"vpcSet": obj{}, "filterSet": obj{}}
	case "DescribeVpcAttribute":
		o.req = obj{"vpcId": p.vpc, "attribute": pick(g, []string{"enableDnsSupport", "enableDnsHostnames"})}
	case "DescribeSubnets", "DescribeRouteTables", "DescribeNetworkAcls":
		o.req = obj{"filterSet": items(obj{"name": "vpc-id", "valueSet": items(obj{"value": p.vpc})})}
	case "DescribeSecurityGroups":
		sg := pick(g, p.sgs)
		o.req = obj{"securityGroupSet": obj{}, "securityGroupIdSet": items(obj{"groupId": sg.id}), "filterSet": obj{}}
	case "DescribeVolumes":
		o.req = obj{"volumeSet": obj{}, "filterSet": obj{}}
	case "DescribeSnapshots":
		o.req = obj{"snapshotSet": obj{}, "ownersSet": items(obj{"owner": "self"}), "sharedUsersSet": obj{}, "filterSet": obj{}}
	case "DescribeImages":
		o.req = obj{"executableBySet": obj{}, "imagesSet": obj{}, "ownersSet": items(obj{"owner": "self"}), "filterSet": obj{}}
	case "DescribeRegions":
		o.req = obj{"regionSet": obj{}, "allRegions": false}
	case "DescribeAddresses", "DescribeKeyPairs", "DescribeNetworkInterfaces", "DescribeFlowLogs":
		o.req = obj{"filterSet": obj{}}
	case "DescribeTags":
		o.req = obj{"filterSet": items(obj{"name": "resource-id", "valueSet": items(obj{"value": pick(g, p.instances)})})}
	case "ListBuckets":
		o.req = obj{"Host": "s3.amazonaws.com"}
		o.add = g.s3Extra(g.between(900, 4000))
		o.host = "s3.amazonaws.com"
	case "GetBucketLocation", "GetBucketVersioning", "GetBucketEncryption", "GetBucketTagging", "GetBucketAcl", "GetBucketLogging", "GetBucketPolicy":
		return g.s3Op(name, pick(g, g.w.bucketsOf(acct)), s3Subresource[name], true, nil)
	case "DescribeAlarms":
		o.req = obj{"maxRecords": 100}
	case "GetMetricData":
		o.req = obj{"metricDataQueries": arr{obj{"id": "m1", "metricStat": obj{"metric": obj{"namespace": "AWS/EC2", "metricName": "CPUUtilization",
			"dimensions": arr{obj{"name": "InstanceId", "value": pick(g, p.instances)}}}, "period": 300, "stat": "Average"}}},
			"maxDatapoints": 1440}
	case "ListFunctions20150331":
		o.req = obj{"maxItems": 50}
	case "GetFunction20150331v2", "GetPolicy20150331v2":
		if src == "lambda" {
			o.req = obj{"functionName": pick(g, p.functions)}
		}
	case "DescribeLogGroups":
		o.req = obj{"logGroupNamePrefix": "/aws/lambda/"}
	case "DescribeLogStreams", "FilterLogEvents", "ListTagsLogGroup":
		o.req = obj{"logGroupName": "/aws/lambda/" + pick(g, p.functions)}
	case "DescribeDBInstances", "DescribeDBClusters", "DescribeDBSubnetGroups":
		o.req = obj{"maxRecords": 100}
	case "DescribeStacks":
		o.req = obj{"stackName": g.w.alias(acct) + "-" + pick(g, []string{"network", "app", "data", "monitoring"})}
	case "ListStacks":
		o.req = obj{"stackStatusFilter": arr{"CREATE_COMPLETE", "UPDATE_COMPLETE"}}
	case "GetCostAndUsage":
		o.req = obj{"granularity": "DAILY", "metrics": arr{"UnblendedCost"}, "timePeriod": obj{"start": "MONTH_START", "end": "TODAY"}}
	case "ListUsers", "ListRoles", "ListPolicies":
		if name == "ListPolicies" {
			o.req = obj{"scope": "Local", "onlyAttached": false}
		}
	case "GetUser", "ListMFADevices", "ListAccessKeys", "ListAttachedUserPolicies":
		o.req = obj{"userName": pick(g, g.w.users).name}
	case "GetRole", "ListAttachedRolePolicies", "ListRolePolicies":
		o.req = obj{"roleName": pick(g, []string{"DeployRole", "app-server-role", "lambda-exec-role", "SecurityAuditRole"})}
	case "GetPolicy", "GetPolicyVersion":
		o.req = obj{"policyArn": "arn:aws:iam::" + acct + ":policy/" + pick(g, []string{"app-s3-access", "deploy-boundary", "ci-artifacts-write"})}
		if name == "GetPolicyVersion" {
			o.req.(obj)["versionId"] = "v" + string(rune('1'+g.rng.IntN(4)))
		}
	case "DescribeKey", "GetKeyRotationStatus", "ListResourceTags":
		k := pick(g, p.keys)
		o.req = obj{"keyId": keyARN(acct, region, k.id)}
		o.res = g.keyResource(acct, region, k)
	case "ListAliases":
		o.req = obj{"limit": 100}
	case "ListDetectors":
	case "ListFindings", "GetFindings":
		if src == "guardduty" {
			o.req = obj{"detectorId": randHex(g.rng, 32)}
		} else if src == "securityhub" {
			o.req = obj{"maxResults": 100, "filters": obj{"RecordState": arr{obj{"Value": "ACTIVE", "Comparison": "EQUALS"}}}}
		} else {
			o.req = obj{"analyzerArn": "arn:aws:access-analyzer:" + region + ":" + acct + ":analyzer/org-analyzer"}
		}
	case "LookupEvents":
		o.req = obj{"maxResults": 50, "lookupAttributes": arr{obj{"attributeKey": "ReadOnly", "attributeValue": "false"}}}
	case "DescribeTrails":
		o.req = obj{"trailNameList": arr{}, "includeShadowTrails": true}
	case "GetTrailStatus", "GetEventSelectors":
		t := pick(g, g.w.trails)
		o.req = obj{"name": "arn:aws:cloudtrail:" + t.region + ":" + t.acct + ":trail/" + t.name}
	case "DescribeConfigRules", "DescribeComplianceByConfigRule":
		o.req = obj{"configRuleNames": arr{pick(g, []string{"s3-bucket-public-read-prohibited", "restricted-ssh", "root-account-mfa-enabled", "cloudtrail-enabled"})}}
	case "GetParameter":
		o.req = obj{"name": "/" + g.w.alias(acct) + "/" + pick(g, []string{"app/db-host", "app/feature-flags", "orders/queue-url"}), "withDecryption": g.chance(0.5)}
	case "GetSecretValue":
		o.req = obj{"secretId": "arn:aws:secretsmanager:" + region + ":" + acct + ":secret:" + g.w.alias(acct) + "/db/postgres-" + randStr(g.rng, "abcdefABCDEF", 6)}
	case "DescribeRepositories", "ListQueues", "ListTables", "ListClusters", "DescribeInstanceInformation",
		"GetAuthorizationToken", "ListSecrets", "DescribeParameters", "DescribeHub", "GetAccountSummary",
		"GetAccountPasswordPolicy", "DescribeEventAggregates", "GetCallerIdentity":
	case "DescribeTable", "DescribeContinuousBackups":
		o.req = obj{"tableName": pick(g, []string{"orders", "sessions", "inventory"})}
	case "DescribeCluster":
		o.req = obj{"name": g.w.alias(acct) + "-eks"}
	case "DescribeLoadBalancers", "DescribeTargetGroups":
		o.req = obj{"pageSize": 400}
	}
	return o
}

// denyMsg is the usual IAM authorization failure message.
func denyMsg(a *actor, action, res string) string {
	return "User: " + a.arn + " is not authorized to perform: " + action + " on resource: " + res + " because no identity-based policy allows the " + action + " action"
}
