package main

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// The end-to-end fixture: a small, hand-made CloudTrail account in which
// every event exists to be found (or not) by one of the blog's queries.

const fixtureAccount = "123456789012"

type fixtureEvent map[string]any

// fixtureDay is midnight UTC n days before today.
func fixtureDay(n int) time.Time {
	return time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -n)
}

func at(day int, hhmm string) time.Time {
	d, err := time.Parse("15:04", hhmm)
	if err != nil {
		panic(err)
	}
	return fixtureDay(day).Add(time.Duration(d.Hour())*time.Hour + time.Duration(d.Minute())*time.Minute)
}

func iamUser(name, key string) map[string]any {
	return map[string]any{
		"type": "IAMUser", "principalId": "AIDA" + name, "arn": "arn:aws:iam::" + fixtureAccount + ":user/" + name,
		"accountId": fixtureAccount, "accessKeyId": key, "userName": name,
	}
}

func assumedAdmin() map[string]any {
	return map[string]any{
		"type": "AssumedRole", "principalId": "AROAADMIN:alice", "arn": "arn:aws:sts::" + fixtureAccount + ":assumed-role/Admin/alice",
		"accountId": fixtureAccount, "accessKeyId": "ASIAADMINSESSION",
		"sessionContext": map[string]any{
			"sessionIssuer":       map[string]any{"type": "Role", "principalId": "AROAADMIN", "arn": "arn:aws:iam::" + fixtureAccount + ":role/Admin", "accountId": fixtureAccount, "userName": "Admin"},
			"webIdFederationData": map[string]any{},
			"attributes":          map[string]any{"creationDate": "2024-01-01T10:00:00Z", "mfaAuthenticated": "true"},
		},
	}
}

func rootIdentity() map[string]any {
	return map[string]any{"type": "Root", "principalId": fixtureAccount, "arn": "arn:aws:iam::" + fixtureAccount + ":root", "accountId": fixtureAccount}
}

func ev(id string, t time.Time, source, name string, who map[string]any, ip string, extra map[string]any) fixtureEvent {
	e := fixtureEvent{
		"eventVersion": "1.08", "userIdentity": who, "eventTime": t.Format(time.RFC3339),
		"eventSource": source, "eventName": name, "awsRegion": "us-east-1", "sourceIPAddress": ip,
		"userAgent": "aws-cli/2.15.0", "requestParameters": nil, "responseElements": nil,
		"requestID": "req-" + id, "eventID": "00000000-0000-0000-0000-0000000000" + id, "readOnly": false,
		"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": fixtureAccount, "eventCategory": "Management",
	}
	for k, v := range extra {
		e[k] = v
	}
	return e
}

// fixtureEvents returns the fixture; ids are two digits.
func fixtureEvents() []fixtureEvent {
	alice := iamUser("alice", "AKIAALICE")
	bob := iamUser("bob", "AKIABOB")
	service := map[string]any{"type": "AWSService", "invokedBy": "cloudtrail.amazonaws.com"}
	console := map[string]any{"userAgent": "Mozilla/5.0", "eventType": "AwsConsoleSignIn"}
	merge := func(ms ...map[string]any) map[string]any {
		out := map[string]any{}
		for _, m := range ms {
			for k, v := range m {
				out[k] = v
			}
		}
		return out
	}
	return []fixtureEvent{
		ev("01", at(2, "03:15"), "signin.amazonaws.com", "ConsoleLogin", rootIdentity(), "203.0.113.5", merge(console, map[string]any{
			"additionalEventData": map[string]any{"LoginTo": "https://console.aws.amazon.com/", "MobileVersion": "No", "MFAUsed": "No"},
			"responseElements":    map[string]any{"ConsoleLogin": "Success"}})),
		ev("02", at(1, "09:00"), "signin.amazonaws.com", "ConsoleLogin", alice, "198.51.100.7", merge(console, map[string]any{
			"additionalEventData": map[string]any{"LoginTo": "https://console.aws.amazon.com/", "MobileVersion": "No", "MFAUsed": "Yes"},
			"responseElements":    map[string]any{"ConsoleLogin": "Success"}})),
		ev("03", at(1, "22:30"), "signin.amazonaws.com", "ConsoleLogin", bob, "203.0.113.9", merge(console, map[string]any{
			"additionalEventData": map[string]any{"LoginTo": "https://console.aws.amazon.com/", "MobileVersion": "No", "MFAUsed": "No"},
			"responseElements":    map[string]any{"ConsoleLogin": "Failure"}, "errorMessage": "Failed authentication"})),
		ev("04", at(1, "10:00"), "sts.amazonaws.com", "AssumeRole", alice, "198.51.100.7", map[string]any{
			"requestParameters": map[string]any{"roleArn": "arn:aws:iam::" + fixtureAccount + ":role/Admin", "roleSessionName": "alice"},
			"responseElements":  map[string]any{"credentials": map[string]any{"accessKeyId": "ASIAADMINSESSION", "expiration": "Jan 1, 2030 12:00:00 AM"}}}),
		ev("05", at(1, "10:05"), "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", assumedAdmin(), "198.51.100.7", map[string]any{
			"requestParameters": map[string]any{"groupId": "sg-0123", "ipPermissions": map[string]any{"items": []any{map[string]any{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipRanges": map[string]any{"items": []any{map[string]any{"cidrIp": "0.0.0.0/0"}}}}}}},
			"responseElements":  map[string]any{"_return": true}}),
		ev("06", at(1, "11:00"), "s3.amazonaws.com", "PutBucketPolicy", alice, "198.51.100.7", map[string]any{
			"requestParameters": map[string]any{"bucketName": "cloudtrail-logs-bucket", "bucketPolicy": map[string]any{"Statement": []any{map[string]any{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}}}, "Host": "cloudtrail-logs-bucket.s3.amazonaws.com"},
			"resources":         []any{map[string]any{"accountId": fixtureAccount, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::cloudtrail-logs-bucket"}}}),
		ev("07", at(3, "14:00"), "s3.amazonaws.com", "PutBucketPublicAccessBlock", alice, "198.51.100.7", map[string]any{
			"requestParameters": map[string]any{"bucketName": "media", "PublicAccessBlockConfiguration": map[string]any{"BlockPublicAcls": false, "IgnorePublicAcls": false}}}),
		ev("08", at(3, "15:00"), "iam.amazonaws.com", "AttachUserPolicy", alice, "198.51.100.7", map[string]any{
			"requestParameters": map[string]any{"userName": "bob", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}}),
		ev("09", at(3, "15:01"), "iam.amazonaws.com", "GetRolePolicy", alice, "198.51.100.7", map[string]any{
			"readOnly": true, "requestParameters": map[string]any{"roleName": "Admin", "policyName": "inline"}}),
		ev("10", at(2, "11:00"), "s3.amazonaws.com", "DeleteBucket", bob, "203.0.113.9", map[string]any{
			"errorCode": "AccessDenied", "errorMessage": "Access Denied", "requestParameters": map[string]any{"bucketName": "media"}}),
		ev("11", at(2, "23:00"), "cloudtrail.amazonaws.com", "StopLogging", assumedAdmin(), "203.0.113.9", map[string]any{
			"requestParameters": map[string]any{"name": "arn:aws:cloudtrail:us-east-1:" + fixtureAccount + ":trail/main"}}),
		ev("12", at(2, "04:00"), "kms.amazonaws.com", "Decrypt", service, "cloudtrail.amazonaws.com", map[string]any{
			"readOnly": true, "eventType": "AwsServiceEvent", "userAgent": "cloudtrail.amazonaws.com",
			"requestParameters": map[string]any{"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}}),
		ev("13", at(4, "12:00"), "ec2.amazonaws.com", "ModifySnapshotAttribute", alice, "198.51.100.7", map[string]any{
			"requestParameters": map[string]any{"snapshotId": "snap-1", "attributeType": "CREATE_VOLUME_PERMISSION", "createVolumePermission": map[string]any{"add": map[string]any{"items": []any{map[string]any{"group": "all"}}}}}}),
		ev("14", at(100, "12:00"), "ec2.amazonaws.com", "DescribeInstances", alice, "198.51.100.7", map[string]any{"readOnly": true}),
		ev("15", at(4, "13:00"), "iam.amazonaws.com", "CreateUser", iamUser("admin-ops", "AKIAOPS"), "198.51.100.8", map[string]any{
			"requestParameters": map[string]any{"userName": "mallory"}}),
	}
}

// writeFixture writes the events as CloudTrail files in the S3 delivery
// layout under dir, one gzipped Records file per day, and returns how many
// events it wrote.
func writeFixture(t *testing.T, dir string) int {
	t.Helper()
	byDay := map[string][]fixtureEvent{}
	for _, e := range fixtureEvents() {
		tm, _ := time.Parse(time.RFC3339, e["eventTime"].(string))
		byDay[tm.Format("2006/01/02")] = append(byDay[tm.Format("2006/01/02")], e)
	}
	days := make([]string, 0, len(byDay))
	for d := range byDay {
		days = append(days, d)
	}
	sort.Strings(days)
	n := 0
	for i, d := range days {
		p := filepath.Join(dir, "AWSLogs", fixtureAccount, "CloudTrail", "us-east-1", filepath.FromSlash(d),
			fmt.Sprintf("%s_CloudTrail_us-east-1_%d.json.gz", fixtureAccount, i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		zw := gzip.NewWriter(f)
		if err := json.NewEncoder(zw).Encode(map[string]any{"Records": byDay[d]}); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		n += len(byDay[d])
	}
	return n
}
