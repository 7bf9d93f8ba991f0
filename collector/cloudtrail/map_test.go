package cloudtrail

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tpserver/tpserver/lake"
)

var testIngest = time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)

func testSource() SourceInfo {
	return SourceInfo{
		Table:          "aws_cloudtrail_log",
		Partition:      "prod",
		SourceType:     "file",
		SourceLocation: "/logs/111122223333_CloudTrail_us-east-1_20240301T1235Z_abc.json.gz",
		IngestTime:     testIngest.In(time.FixedZone("CEST", 2*3600)), // must come back UTC
	}
}

func readFixture(t testing.TB, name string) json.RawMessage {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wantID computes tp_id independently of encodeID (with encoding/base32).
func wantID(eventID, account string, eventTime time.Time) string {
	sum := sha256.Sum256([]byte("e\x00" + eventID + "\x00" + account + "\x00" + strconv.FormatInt(eventTime.UnixNano(), 10)))
	return strings.ToLower(base32.HexEncoding.EncodeToString(sum[:13]))[:20]
}

// want returns the expected row with every CloudTrail column NULL and the
// tp_* columns filled for an event at eventTime; callers override columns.
func want(eventTime time.Time, eventID, account string) map[string]any {
	src := testSource()
	w := map[string]any{}
	for _, c := range lake.CloudTrailLog().Columns {
		w[c.Name] = nil
	}
	w["event_time"] = eventTime
	w["event_id"] = eventID
	w["recipient_account_id"] = account
	w["tp_date"] = time.Date(eventTime.Year(), eventTime.Month(), eventTime.Day(), 0, 0, 0, 0, time.UTC)
	w["tp_id"] = wantID(eventID, account, eventTime)
	w["tp_index"] = "default"
	w["tp_ingest_timestamp"] = testIngest
	w["tp_partition"] = src.Partition
	w["tp_source_location"] = src.SourceLocation
	w["tp_source_type"] = src.SourceType
	w["tp_table"] = src.Table
	w["tp_timestamp"] = eventTime
	return w
}

func mapRow(t *testing.T, raw json.RawMessage, src SourceInfo) map[string]any {
	t.Helper()
	got, warnings := mapRowWarnings(t, raw, src)
	for _, w := range warnings {
		t.Errorf("Map warning: %v", w)
	}
	return got
}

// mapRowWarnings maps one event and returns its row by column name and the
// mapper's warnings.
func mapRowWarnings(t *testing.T, raw json.RawMessage, src SourceInfo) (map[string]any, []error) {
	t.Helper()
	row, warnings, err := Map(raw, src)
	if err != nil {
		t.Fatalf("Map: %v", err)
	}
	cols := lake.CloudTrailLog().Columns
	if len(row) != len(cols) {
		t.Fatalf("row has %d values, schema %d columns", len(row), len(cols))
	}
	got := make(map[string]any, len(row))
	for i, c := range cols {
		got[c.Name] = row[i]
	}
	return got, warnings
}

// checkRow compares every column of got with want.
func checkRow(t *testing.T, got, want map[string]any) {
	t.Helper()
	for _, c := range lake.CloudTrailLog().Columns {
		w, ok := want[c.Name]
		if !ok {
			t.Errorf("test bug: no expectation for column %s", c.Name)
			continue
		}
		if !reflect.DeepEqual(got[c.Name], w) {
			t.Errorf("column %s:\n got %#v\nwant %#v", c.Name, got[c.Name], w)
		}
	}
}

func TestMapAssumedRole(t *testing.T) {
	et := time.Date(2024, 3, 1, 12, 34, 56, 0, time.UTC)
	w := want(et, "11111111-1111-4111-8111-111111111111", "111122223333")
	w["api_version"] = "2011-06-15"
	w["aws_region"] = "us-east-1"
	w["event_category"] = "Management"
	w["event_name"] = "AssumeRole"
	w["event_source"] = "sts.amazonaws.com"
	w["event_type"] = "AwsApiCall"
	w["event_version"] = "1.08"
	w["management_event"] = true
	w["read_only"] = true
	w["request_id"] = "6f1c0e2a-0000-4000-8000-000000000001"
	w["request_parameters"] = `{"roleArn":"x","roleSessionName":"y","a":1}`
	w["response_elements"] = `{"credentials":{"accessKeyId":"ASIANEWKEY","expiration":"Mar 1, 2024, 1:34:56 PM"},"assumedRoleUser":{"assumedRoleId":"AROADEPLOY:y","arn":"arn:aws:sts::111122223333:assumed-role/Deploy/y"}}`
	w["session_credential_from_console"] = "true"
	w["shared_event_id"] = "aaaaaaaa-0000-4000-8000-000000000001"
	w["source_ip_address"] = "203.0.113.10"
	w["user_agent"] = "aws-cli/2.15.0 Python/3.11.6"
	w["user_identity"] = map[string]any{
		"access_key_id":     "ASIAEXAMPLEKEY",
		"account_id":        "111122223333",
		"arn":               "arn:aws:sts::111122223333:assumed-role/Admin/alice",
		"identity_provider": nil,
		"invoked_by":        nil,
		"principal_id":      "AROAEXAMPLEID:alice",
		"session_context": map[string]any{
			"attributes": map[string]any{
				"creation_date":     int64(1709294400000),
				"mfa_authenticated": "false",
			},
			"ec2_role_delivery": "2.0",
			"session_issuer": map[string]any{
				"account_id":   "111122223333",
				"arn":          "arn:aws:iam::111122223333:role/Admin",
				"principal_id": "AROAEXAMPLEID",
				"type":         "Role",
				"user_name":    "Admin",
			},
			"web_id_federation_data": map[string]any{
				"attributes":         `{"sub":"repo:octo/app:ref:refs/heads/main","aud":"sts.amazonaws.com"}`,
				"federated_provider": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
			},
		},
		"type":      "AssumedRole",
		"user_name": nil,
	}
	w["tp_ips"] = []string{"203.0.113.10"}
	w["tp_source_ip"] = "203.0.113.10"
	// ASIA keys are temporary: not a username; no userName either.
	checkRow(t, mapRow(t, readFixture(t, "assumed_role.json"), testSource()), w)
}

func TestMapRootConsoleLogin(t *testing.T) {
	et := time.Date(2024, 3, 2, 8, 0, 0, 123e6, time.UTC)
	w := want(et, "22222222-2222-4222-8222-222222222222", "111122223333")
	w["additional_event_data"] = `{"LoginTo":"https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true","MobileVersion":"No","MFAUsed":"No"}`
	w["aws_region"] = "us-east-1"
	w["event_category"] = "Management"
	w["event_name"] = "ConsoleLogin"
	w["event_source"] = "signin.amazonaws.com"
	w["event_type"] = "AwsConsoleSignIn"
	w["event_version"] = "1.09"
	w["management_event"] = true
	w["read_only"] = false
	w["response_elements"] = `{"ConsoleLogin":"Success"}`
	w["source_ip_address"] = "198.51.100.7"
	w["user_agent"] = "Mozilla/5.0 (X11; Linux x86_64) <b>&amp;</b>"
	w["user_identity"] = map[string]any{
		"access_key_id":     "",
		"account_id":        "111122223333",
		"arn":               "arn:aws:iam::111122223333:root",
		"identity_provider": nil,
		"invoked_by":        nil,
		"principal_id":      "111122223333",
		"session_context":   nil,
		"type":              "Root",
		"user_name":         nil,
	}
	w["tp_ips"] = []string{"198.51.100.7"}
	w["tp_source_ip"] = "198.51.100.7"
	checkRow(t, mapRow(t, readFixture(t, "root_console_login.json"), testSource()), w)
}

const awsServiceEvent = `{"eventVersion":"1.08","userIdentity":{"type":"AWSService","invokedBy":"cloudtrail.amazonaws.com"},
"eventTime":"2024-03-03T00:00:01Z","eventSource":"kms.amazonaws.com","eventName":"RotateKey","awsRegion":"eu-west-1",
"sourceIPAddress":"cloudtrail.amazonaws.com","userAgent":"cloudtrail.amazonaws.com","requestParameters":null,"responseElements":null,
"eventID":"33333333-3333-4333-8333-333333333333","readOnly":false,
"resources":[{"accountId":"111122223333","type":"AWS::KMS::Key","ARN":"arn:aws:kms:eu-west-1:111122223333:key/abcd-ef"}],
"eventType":"AwsServiceEvent","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management",
"serviceEventDetails":{"keyRotated": true, "rotationType":"AUTOMATIC"}}`

func TestMapAWSService(t *testing.T) {
	et := time.Date(2024, 3, 3, 0, 0, 1, 0, time.UTC)
	w := want(et, "33333333-3333-4333-8333-333333333333", "111122223333")
	w["aws_region"] = "eu-west-1"
	w["event_category"] = "Management"
	w["event_name"] = "RotateKey"
	w["event_source"] = "kms.amazonaws.com"
	w["event_type"] = "AwsServiceEvent"
	w["event_version"] = "1.08"
	w["management_event"] = true
	w["read_only"] = false
	w["resources"] = `[{"accountId":"111122223333","type":"AWS::KMS::Key","ARN":"arn:aws:kms:eu-west-1:111122223333:key/abcd-ef"}]`
	w["service_event_details"] = `{"keyRotated":true,"rotationType":"AUTOMATIC"}`
	w["source_ip_address"] = "cloudtrail.amazonaws.com"
	w["user_agent"] = "cloudtrail.amazonaws.com"
	w["user_identity"] = map[string]any{
		"access_key_id": nil, "account_id": nil, "arn": nil, "identity_provider": nil,
		"invoked_by": "cloudtrail.amazonaws.com", "principal_id": nil, "session_context": nil,
		"type": "AWSService", "user_name": nil,
	}
	w["tp_akas"] = []string{"arn:aws:kms:eu-west-1:111122223333:key/abcd-ef", "111122223333"}
	w["tp_ips"] = []string{"cloudtrail.amazonaws.com"}
	w["tp_source_ip"] = "cloudtrail.amazonaws.com"
	checkRow(t, mapRow(t, json.RawMessage(awsServiceEvent), testSource()), w)
}

const errorEvent = `{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::111122223333:user/bob",
"accountId":"111122223333","accessKeyId":"AKIAIOSFODNN7EXAMPLE","userName":"bob"},"eventTime":"2024-03-04T23:59:59.999999Z",
"eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","awsRegion":"us-west-2","sourceIPAddress":"192.0.2.1",
"userAgent":"Boto3/1.34.0","errorCode":"AccessDenied","errorMessage":"User: arn:aws:iam::111122223333:user/bob is not authorized to perform: cloudtrail:StopLogging",
"requestParameters":{"name":"main"},"responseElements":null,"requestID":"req-4","eventID":"44444444-4444-4444-8444-444444444444",
"readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"}`

func TestMapError(t *testing.T) {
	et := time.Date(2024, 3, 4, 23, 59, 59, 999999000, time.UTC)
	w := want(et, "44444444-4444-4444-8444-444444444444", "111122223333")
	w["aws_region"] = "us-west-2"
	w["error_code"] = "AccessDenied"
	w["error_message"] = "User: arn:aws:iam::111122223333:user/bob is not authorized to perform: cloudtrail:StopLogging"
	w["event_category"] = "Management"
	w["event_name"] = "StopLogging"
	w["event_source"] = "cloudtrail.amazonaws.com"
	w["event_type"] = "AwsApiCall"
	w["event_version"] = "1.08"
	w["management_event"] = true
	w["read_only"] = false
	w["request_id"] = "req-4"
	w["request_parameters"] = `{"name":"main"}`
	w["source_ip_address"] = "192.0.2.1"
	w["user_agent"] = "Boto3/1.34.0"
	w["user_identity"] = map[string]any{
		"access_key_id": "AKIAIOSFODNN7EXAMPLE", "account_id": "111122223333",
		"arn": "arn:aws:iam::111122223333:user/bob", "identity_provider": nil, "invoked_by": nil,
		"principal_id": "AIDAEXAMPLE", "session_context": nil, "type": "IAMUser", "user_name": "bob",
	}
	w["tp_ips"] = []string{"192.0.2.1"}
	w["tp_source_ip"] = "192.0.2.1"
	w["tp_usernames"] = []string{"AKIAIOSFODNN7EXAMPLE", "bob"}
	got := mapRow(t, json.RawMessage(errorEvent), testSource())
	checkRow(t, got, w)
	if d := got["tp_date"].(time.Time); d.Day() != 4 {
		t.Errorf("tp_date %v: want the event's own UTC day", d)
	}
}

const resourcesEvent = `{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROA:x","arn":"arn:aws:sts::111122223333:assumed-role/R/x",
"accountId":"111122223333","accessKeyId":"ASIAX","sessionContext":{"sessionIssuer":{},"attributes":{"creationDate":"bad","mfaAuthenticated":"true"}}},
"eventTime":"2024-03-05T01:02:03Z","eventSource":"ec2.amazonaws.com","eventName":"AttachVolume","awsRegion":"us-east-1",
"sourceIPAddress":"10.0.0.1","userAgent":"console.amazonaws.com","requestParameters":{"volumeId":"vol-0def","instanceId":"i-0abc"},
"eventID":"55555555-5555-4555-8555-555555555555","readOnly":false,
"resources":[{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::my-bucket"},
 {"type":"AWS::S3::Object","ARN":"arn:aws:s3:::my-bucket/path/key.txt"},
 {"accountId":"111122223333","type":"AWS::EC2::Instance","ARN":"arn:aws:ec2:us-east-1:111122223333:instance/i-0abc"},
 {"accountId":"222233334444","type":"AWS::EC2::Volume","ARN":"arn:aws:ec2:us-east-1:222233334444:volume/vol-0def"},
 {"type":"AWS::EC2::Instance","ARN":"arn:aws:ec2:us-east-1:111122223333:instance/i-0abc"},
 {"type":"AWS::S3::AccessPoint","ARN":"arn:aws:s3:us-east-1:111122223333:accesspoint/ap1"}],
"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"}`

func TestMapResources(t *testing.T) {
	et := time.Date(2024, 3, 5, 1, 2, 3, 0, time.UTC)
	w := want(et, "55555555-5555-4555-8555-555555555555", "111122223333")
	w["aws_region"] = "us-east-1"
	w["event_category"] = "Management"
	w["event_name"] = "AttachVolume"
	w["event_source"] = "ec2.amazonaws.com"
	w["event_type"] = "AwsApiCall"
	w["event_version"] = "1.08"
	w["management_event"] = true
	w["read_only"] = false
	w["request_parameters"] = `{"volumeId":"vol-0def","instanceId":"i-0abc"}`
	w["resources"] = `[{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::my-bucket"},{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::my-bucket/path/key.txt"},{"accountId":"111122223333","type":"AWS::EC2::Instance","ARN":"arn:aws:ec2:us-east-1:111122223333:instance/i-0abc"},{"accountId":"222233334444","type":"AWS::EC2::Volume","ARN":"arn:aws:ec2:us-east-1:222233334444:volume/vol-0def"},{"type":"AWS::EC2::Instance","ARN":"arn:aws:ec2:us-east-1:111122223333:instance/i-0abc"},{"type":"AWS::S3::AccessPoint","ARN":"arn:aws:s3:us-east-1:111122223333:accesspoint/ap1"}]`
	w["source_ip_address"] = "10.0.0.1"
	w["user_agent"] = "console.amazonaws.com"
	w["user_identity"] = map[string]any{
		"access_key_id": "ASIAX", "account_id": "111122223333", "arn": "arn:aws:sts::111122223333:assumed-role/R/x",
		"identity_provider": nil, "invoked_by": nil, "principal_id": "AROA:x",
		"session_context": map[string]any{
			// unparsable creationDate -> NULL; empty sessionIssuer -> all-NULL struct
			"attributes":        map[string]any{"creation_date": nil, "mfa_authenticated": "true"},
			"ec2_role_delivery": nil,
			"session_issuer": map[string]any{
				"account_id": nil, "arn": nil, "principal_id": nil, "type": nil, "user_name": nil,
			},
			"web_id_federation_data": nil,
		},
		"type": "AssumedRole", "user_name": nil,
	}
	w["tp_akas"] = []string{
		"arn:aws:s3:::my-bucket", "my-bucket",
		"arn:aws:s3:::my-bucket/path/key.txt",
		"arn:aws:ec2:us-east-1:111122223333:instance/i-0abc", "111122223333", "i-0abc",
		"arn:aws:ec2:us-east-1:222233334444:volume/vol-0def", "222233334444", "vol-0def",
		"arn:aws:s3:us-east-1:111122223333:accesspoint/ap1",
	}
	w["tp_ips"] = []string{"10.0.0.1"}
	w["tp_source_ip"] = "10.0.0.1"
	got, warnings := mapRowWarnings(t, json.RawMessage(resourcesEvent), testSource())
	checkRow(t, got, w)
	// The unparsable creationDate is reported, naming the event, the field and the value.
	if len(warnings) != 1 || !errors.Is(warnings[0], ErrValueNotRead) ||
		warnings[0].Error() != `event "55555555-5555-4555-8555-555555555555": unparsable userIdentity.sessionContext.attributes.creationDate "bad": value not read, stored as NULL` {
		t.Errorf("warnings %v, want one about creationDate", warnings)
	}
}

const tlsEvent = `{"eventVersion":"1.10","userIdentity":{"type":"IAMUser","principalId":"AIDA2","arn":"arn:aws:iam::111122223333:user/carol",
"accountId":"111122223333","accessKeyId":"ASIATEMP","userName":"carol","identityProvider":"idp.example.com"},
"eventTime":"2024-03-06T10:00:00+02:00","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"eu-central-1",
"sourceIPAddress":"2001:db8::1","userAgent":"[aws-sdk-go-v2/1.25.0]","requestParameters":{"bucketName":"b1","key":"k"},
"responseElements":null,"additionalEventData":{"bytesTransferredOut":42.0},"requestID":"R6","eventID":"66666666-6666-4666-8666-666666666666",
"readOnly":true,"resources":[],"eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"111122223333",
"vpcEndpointId":"vpce-0123456789abcdef0","vpcEndpointAccountId":"111122223333","eventCategory":"Data",
"edgeDeviceDetails":{"deviceId":"dev-1","type":"snowball"},
"tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"b1.s3.eu-central-1.amazonaws.com"}}`

func TestMapTLSAndVPCEndpoint(t *testing.T) {
	et := time.Date(2024, 3, 6, 8, 0, 0, 0, time.UTC) // +02:00 normalised to UTC
	w := want(et, "66666666-6666-4666-8666-666666666666", "111122223333")
	w["additional_event_data"] = `{"bytesTransferredOut":42.0}`
	w["aws_region"] = "eu-central-1"
	w["edge_device_details"] = `{"deviceId":"dev-1","type":"snowball"}`
	w["event_category"] = "Data"
	w["event_name"] = "GetObject"
	w["event_source"] = "s3.amazonaws.com"
	w["event_type"] = "AwsApiCall"
	w["event_version"] = "1.10"
	w["management_event"] = false
	w["read_only"] = true
	w["request_id"] = "R6"
	w["request_parameters"] = `{"bucketName":"b1","key":"k"}`
	w["resources"] = `[]`
	w["source_ip_address"] = "2001:db8::1"
	w["tls_details"] = map[string]any{
		"cipher_suite":                "TLS_AES_128_GCM_SHA256",
		"client_provided_host_header": "b1.s3.eu-central-1.amazonaws.com",
		"tls_version":                 "TLSv1.3",
	}
	w["user_agent"] = "[aws-sdk-go-v2/1.25.0]"
	w["user_identity"] = map[string]any{
		"access_key_id": "ASIATEMP", "account_id": "111122223333", "arn": "arn:aws:iam::111122223333:user/carol",
		"identity_provider": "idp.example.com", "invoked_by": nil, "principal_id": "AIDA2",
		"session_context": nil, "type": "IAMUser", "user_name": "carol",
	}
	w["vpc_endpoint_id"] = "vpce-0123456789abcdef0"
	w["tp_ips"] = []string{"2001:db8::1"}
	w["tp_source_ip"] = "2001:db8::1"
	w["tp_usernames"] = []string{"carol"}
	checkRow(t, mapRow(t, json.RawMessage(tlsEvent), testSource()), w)
}

const stringBoolsEvent = `{"eventVersion":"1.05","userIdentity":{"type":"AssumedRole","sessionContext":{"attributes":{"creationDate":"2019-01-02T03:04:05.678Z","mfaAuthenticated":true}}},
"eventTime":"2019-01-02T03:04:05.5Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1",
"readOnly":"true","managementEvent":"FALSE","sessionCredentialFromConsole":true,"recipientAccountId":123456789012,
"errorCode":null,"requestParameters":"weird string params","eventID":"77777777-7777-4777-8777-777777777777"}`

func TestMapStringBooleans(t *testing.T) {
	et := time.Date(2019, 1, 2, 3, 4, 5, 5e8, time.UTC)
	w := want(et, "77777777-7777-4777-8777-777777777777", "123456789012") // number -> its text
	w["aws_region"] = "us-east-1"
	w["event_name"] = "ListBuckets"
	w["event_source"] = "s3.amazonaws.com"
	w["event_version"] = "1.05"
	w["management_event"] = false
	w["read_only"] = true
	w["request_parameters"] = `"weird string params"`
	w["session_credential_from_console"] = "true"
	w["user_identity"] = map[string]any{
		"access_key_id": nil, "account_id": nil, "arn": nil, "identity_provider": nil, "invoked_by": nil,
		"principal_id": nil, "type": "AssumedRole", "user_name": nil,
		"session_context": map[string]any{
			"attributes":             map[string]any{"creation_date": int64(1546398245678), "mfa_authenticated": "true"},
			"ec2_role_delivery":      nil,
			"session_issuer":         nil,
			"web_id_federation_data": nil,
		},
	}
	checkRow(t, mapRow(t, json.RawMessage(stringBoolsEvent), testSource()), w)
}

func TestMapNullRequestParameters(t *testing.T) {
	for _, raw := range []string{
		`{"eventTime":"2024-01-01T00:00:00Z","eventID":"n1","requestParameters":null,"responseElements":null,"additionalEventData":null,"resources":null,"userIdentity":null,"tlsDetails":null}`,
		`{"eventTime":"2024-01-01T00:00:00Z","eventID":"n1"}`,
	} {
		got := mapRow(t, json.RawMessage(raw), testSource())
		for _, c := range []string{"request_parameters", "response_elements", "additional_event_data", "resources", "user_identity", "tls_details", "tp_akas", "tp_usernames", "tp_ips", "tp_source_ip", "read_only"} {
			if got[c] != nil {
				t.Errorf("%s: column %s = %#v, want untyped nil", raw, c, got[c])
			}
		}
		if got["tp_id"] != wantID("n1", "", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("tp_id %v", got["tp_id"])
		}
	}
}

func TestMapMissingEventTime(t *testing.T) {
	cases := []struct{ raw, msg string }{
		{`{"eventID":"abc-1","eventName":"X"}`, `event "abc-1": missing eventTime`},
		{`{"eventName":"X","eventTime":null}`, `event without eventID: missing eventTime`},
		{`{"eventID":"abc-2","eventTime":"redacted"}`, `event "abc-2": missing eventTime (unparsable eventTime "redacted")`},
	}
	for _, c := range cases {
		row, _, err := Map(json.RawMessage(c.raw), testSource())
		if err == nil || row != nil {
			t.Fatalf("%s: want error, got row %v", c.raw, row)
		}
		if !errors.Is(err, ErrMissingEventTime) || err.Error() != c.msg {
			t.Errorf("%s: error %q, want %q wrapping ErrMissingEventTime", c.raw, err, c.msg)
		}
	}
	if _, _, err := Map(json.RawMessage(`[1]`), testSource()); err == nil {
		t.Error("array event: want error")
	}
}

func TestMapLenientTimes(t *testing.T) {
	for in, want := range map[string]time.Time{
		"2024-03-01T12:34:56Z":        time.Date(2024, 3, 1, 12, 34, 56, 0, time.UTC),
		"2024-03-01T12:34:56.789Z":    time.Date(2024, 3, 1, 12, 34, 56, 789e6, time.UTC),
		"2024-03-01T23:34:56-02:00":   time.Date(2024, 3, 2, 1, 34, 56, 0, time.UTC),
		"2024-03-01 12:34:56Z":        time.Date(2024, 3, 1, 12, 34, 56, 0, time.UTC),
		"2024-03-01 12:34:56.000":     time.Date(2024, 3, 1, 12, 34, 56, 0, time.UTC),
		"2024-03-01T12:34:56.123456Z": time.Date(2024, 3, 1, 12, 34, 56, 123456e3, time.UTC),
	} {
		got := mapRow(t, json.RawMessage(`{"eventTime":"`+in+`"}`), testSource())
		if got["event_time"] != want || got["tp_timestamp"] != want {
			t.Errorf("%s: event_time %v tp_timestamp %v, want %v", in, got["event_time"], got["tp_timestamp"], want)
		}
		d := got["tp_date"].(time.Time)
		if d != time.Date(want.Year(), want.Month(), want.Day(), 0, 0, 0, 0, time.UTC) {
			t.Errorf("%s: tp_date %v", in, d)
		}
	}
}

// timeForms are the timestamp forms CloudTrail events carry (AWS's log
// files, the examples in AWS's documentation, CloudTrail Lake exports), each
// with the instant it denotes.
var timeForms = map[string]time.Time{
	"2014-03-06T21:22:54Z":           time.Date(2014, 3, 6, 21, 22, 54, 0, time.UTC),
	"2014-03-06T21:22:54.5Z":         time.Date(2014, 3, 6, 21, 22, 54, 500e6, time.UTC),
	"2014-03-06T21:22:54.123Z":       time.Date(2014, 3, 6, 21, 22, 54, 123e6, time.UTC),
	"2014-03-06T21:22:54.123456Z":    time.Date(2014, 3, 6, 21, 22, 54, 123456e3, time.UTC),
	"2014-03-06T21:22:54.123456789Z": time.Date(2014, 3, 6, 21, 22, 54, 123456789, time.UTC),
	"2014-03-06T21:22:54+00:00":      time.Date(2014, 3, 6, 21, 22, 54, 0, time.UTC),
	"2014-03-06T23:22:54+02:00":      time.Date(2014, 3, 6, 21, 22, 54, 0, time.UTC),
	"2014-03-06T16:22:54.25-05:00":   time.Date(2014, 3, 6, 21, 22, 54, 250e6, time.UTC),
	"2014-03-06T23:22:54+0200":       time.Date(2014, 3, 6, 21, 22, 54, 0, time.UTC),
	"2014-03-06T23:22:54+02":         time.Date(2014, 3, 6, 21, 22, 54, 0, time.UTC),
	"2014-03-06t21:22:54z":           time.Date(2014, 3, 6, 21, 22, 54, 0, time.UTC),
	"2014-03-06 21:22:54Z":           time.Date(2014, 3, 6, 21, 22, 54, 0, time.UTC),
	"2014-03-06 21:22:54":            time.Date(2014, 3, 6, 21, 22, 54, 0, time.UTC),
	"2014-03-06 21:22:54.000":        time.Date(2014, 3, 6, 21, 22, 54, 0, time.UTC),
	"2014-03-06 21:22:54.000000000":  time.Date(2014, 3, 6, 21, 22, 54, 0, time.UTC),
	"2014-03-06T21:22:54":            time.Date(2014, 3, 6, 21, 22, 54, 0, time.UTC),
	"20131102T010628Z":               time.Date(2013, 11, 2, 1, 6, 28, 0, time.UTC),
	"20131102T010628.75Z":            time.Date(2013, 11, 2, 1, 6, 28, 750e6, time.UTC),
	"20131102T030628+0200":           time.Date(2013, 11, 2, 1, 6, 28, 0, time.UTC),
	"20131102T030628+02:00":          time.Date(2013, 11, 2, 1, 6, 28, 0, time.UTC),
	"20131102T010628":                time.Date(2013, 11, 2, 1, 6, 28, 0, time.UTC),
}

// badTimes are values that are not a time: each must be reported.
var badTimes = []string{"redacted", "...", "2021-02-21T23: 46: 28Z", "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z",
	"2024-01-01T25:00:00Z", "20131102", "1700000000", "2024-01-01T00:00:00Zjunk", "Jan 1, 2024 12:00:00 AM"}

// TestMapTimeForms maps every timestamp form in eventTime and in
// userIdentity.sessionContext.attributes.creationDate, the two times the
// mapper reads.
func TestMapTimeForms(t *testing.T) {
	for in, want := range timeForms {
		if parsed, ok := parseTime(in); !ok || !parsed.Equal(want) {
			t.Errorf("parseTime(%s) = %v, %v; want %v", in, parsed, ok, want)
		}
		// Rows hold times to the microsecond, as DuckDB's TIMESTAMP does.
		got := mapRow(t, json.RawMessage(`{"eventTime":"`+in+`"}`), testSource())
		if us := want.Truncate(time.Microsecond); got["event_time"] != us || got["tp_timestamp"] != us {
			t.Errorf("eventTime %s: event_time %v tp_timestamp %v, want %v", in, got["event_time"], got["tp_timestamp"], us)
		}
		raw := `{"eventTime":"2024-01-01T00:00:00Z","userIdentity":{"type":"AssumedRole","sessionContext":{"attributes":{"creationDate":"` + in + `"}}}}`
		got = mapRow(t, json.RawMessage(raw), testSource()) // fails on any warning
		attrs := got["user_identity"].(map[string]any)["session_context"].(map[string]any)["attributes"].(map[string]any)
		if attrs["creation_date"] != want.UnixMilli() {
			t.Errorf("creationDate %s: creation_date %v, want %d", in, attrs["creation_date"], want.UnixMilli())
		}
	}
}

// TestMapUnreadableValuesAreReported: an unparsable eventTime drops the
// event with an error; an unparsable creationDate or a field of the wrong
// JSON type keeps the event, stores NULL and warns, naming event and field.
func TestMapUnreadableValuesAreReported(t *testing.T) {
	for _, in := range badTimes {
		row, warnings, err := Map(json.RawMessage(`{"eventID":"e1","eventTime":"`+in+`"}`), testSource())
		if row != nil || !errors.Is(err, ErrMissingEventTime) || !strings.Contains(err.Error(), strconv.Quote(in)) {
			t.Errorf("eventTime %q: row %v, warnings %v, err %v; want no row and an error quoting the value", in, row != nil, warnings, err)
		}
		raw := `{"eventID":"e2","eventTime":"2024-01-01T00:00:00Z","userIdentity":{"sessionContext":{"attributes":{"creationDate":"` + in + `","mfaAuthenticated":"true"}}}}`
		got, warnings := mapRowWarnings(t, json.RawMessage(raw), testSource())
		attrs := got["user_identity"].(map[string]any)["session_context"].(map[string]any)["attributes"].(map[string]any)
		if attrs["creation_date"] != nil || attrs["mfa_authenticated"] != "true" {
			t.Errorf("creationDate %q: attributes %v, want NULL creation_date and the rest kept", in, attrs)
		}
		want := `event "e2": unparsable userIdentity.sessionContext.attributes.creationDate ` + strconv.Quote(in) + `: value not read, stored as NULL`
		if len(warnings) != 1 || !errors.Is(warnings[0], ErrValueNotRead) || warnings[0].Error() != want {
			t.Errorf("creationDate %q: warnings %v, want %q", in, warnings, want)
		}
	}
	// Absent, null or empty is no value, not an unreadable one.
	for _, attrs := range []string{`{}`, `{"creationDate":null}`, `{"creationDate":""}`} {
		raw := `{"eventTime":"2024-01-01T00:00:00Z","userIdentity":{"sessionContext":{"attributes":` + attrs + `}}}`
		if _, warnings := mapRowWarnings(t, json.RawMessage(raw), testSource()); len(warnings) != 0 {
			t.Errorf("%s: warnings %v", attrs, warnings)
		}
	}
	// A field of the wrong JSON type.
	got, warnings := mapRowWarnings(t, json.RawMessage(`{"eventID":"e3","eventTime":"2024-01-01T00:00:00Z","userIdentity":"root","eventName":"X"}`), testSource())
	if ui, _ := got["user_identity"].(map[string]any); ui["type"] != nil || ui["arn"] != nil || got["event_name"] != "X" {
		t.Errorf("wrong-type userIdentity: user_identity %v, event_name %v", got["user_identity"], got["event_name"])
	}
	if len(warnings) != 1 || !errors.Is(warnings[0], ErrValueNotRead) ||
		warnings[0].Error() != `event "e3": userIdentity is a JSON string, not an object: value not read, stored as NULL` {
		t.Errorf("wrong-type userIdentity: warnings %v", warnings)
	}
}

func TestMapKeyOrderPreserved(t *testing.T) {
	raw := `{"eventTime":"2024-01-01T00:00:00Z","requestParameters":  {"roleArn" : "x",
	  "roleSessionName":"y",   "a":1, "html":"<&>\u003c", "nested":{"z":1,"a":[ 3, 2 ,1 ]}}}`
	got := mapRow(t, json.RawMessage(raw), testSource())
	want := `{"roleArn":"x","roleSessionName":"y","a":1,"html":"<&>\u003c","nested":{"z":1,"a":[3,2,1]}}`
	if got["request_parameters"] != want {
		t.Errorf("request_parameters\n got %q\nwant %q", got["request_parameters"], want)
	}
	got = mapRow(t, json.RawMessage(`{"eventTime":"2024-01-01T00:00:00Z","requestParameters":{"roleArn":"x","roleSessionName":"y","a":1}}`), testSource())
	if got["request_parameters"] != `{"roleArn":"x","roleSessionName":"y","a":1}` {
		t.Errorf("request_parameters %q", got["request_parameters"])
	}
}

func TestMapTpID(t *testing.T) {
	a := `{"eventTime":"2024-01-01T00:00:00Z","eventID":"e1","recipientAccountId":"111"}`
	idOf := func(raw string) string {
		t.Helper()
		return mapRow(t, json.RawMessage(raw), testSource())["tp_id"].(string)
	}
	id := idOf(a)
	if len(id) != 20 || strings.Trim(id, idAlphabet) != "" {
		t.Fatalf("tp_id %q: want 20 lowercase base32hex characters", id)
	}
	// Deterministic, and independent of formatting, the other fields and the run.
	src2 := testSource()
	src2.Partition, src2.IngestTime = "other", time.Now()
	row, _, err := Map(json.RawMessage(a), src2)
	if err != nil {
		t.Fatal(err)
	}
	if row2ID := row[colPos(t, "tp_id")]; row2ID != id {
		t.Errorf("tp_id differs between runs: %v vs %v", row2ID, id)
	}
	same := []string{
		`{ "recipientAccountId":"111", "eventID":"e1", "eventTime":"2024-01-01T00:00:00.000Z", "eventName":"Extra"}`,
	}
	for _, s := range same {
		if got := idOf(s); got != id {
			t.Errorf("%s: tp_id %s, want %s", s, got, id)
		}
	}
	distinct := []string{
		`{"eventTime":"2024-01-01T00:00:00Z","eventID":"e2","recipientAccountId":"111"}`,
		`{"eventTime":"2024-01-01T00:00:00Z","eventID":"e1","recipientAccountId":"222"}`,
		`{"eventTime":"2024-01-01T00:00:01Z","eventID":"e1","recipientAccountId":"111"}`,
		`{"eventTime":"2024-01-01T00:00:00Z","eventID":"e1","recipientAccountId":""}`,
		`{"eventTime":"2024-01-01T00:00:00Z","eventName":"A"}`,
		`{"eventTime":"2024-01-01T00:00:00Z","eventName":"B"}`,
	}
	seen := map[string]string{id: a}
	for _, s := range distinct {
		got := idOf(s)
		if prev, dup := seen[got]; dup {
			t.Errorf("tp_id collision %s between %s and %s", got, prev, s)
		}
		seen[got] = s
	}
	// Without eventID the id hashes the compacted event: whitespace does not matter.
	if idOf(`{"eventTime":"2024-01-01T00:00:00Z","eventName":"A"}`) != idOf("{ \"eventTime\" : \"2024-01-01T00:00:00Z\",\n\"eventName\":\"A\" }") {
		t.Error("fallback tp_id depends on whitespace")
	}
	// Many distinct events: no collisions.
	ids := make(map[string]bool)
	for i := range 20000 {
		ids[idOf(`{"eventTime":"2024-01-01T00:00:00Z","eventID":"`+strconv.Itoa(i)+`"}`)] = true
	}
	if len(ids) != 20000 {
		t.Errorf("%d distinct ids for 20000 events", len(ids))
	}
}

func colPos(t *testing.T, name string) int {
	t.Helper()
	for i, c := range lake.CloudTrailLog().Columns {
		if c.Name == name {
			return i
		}
	}
	t.Fatalf("no column %s", name)
	return -1
}

func TestEncodeID(t *testing.T) {
	b := []byte{0xff, 0, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0}
	want := strings.ToLower(base32.HexEncoding.EncodeToString(b))[:20]
	if got := encodeID(b); got != want {
		t.Errorf("encodeID %s, want %s", got, want)
	}
}

func TestMapIndexColumn(t *testing.T) {
	src := testSource()
	src.IndexColumn = "recipient_account_id"
	m, err := NewMapper(src)
	if err != nil {
		t.Fatal(err)
	}
	pos := colPos(t, "tp_index")
	for raw, want := range map[string]string{
		`{"eventTime":"2024-01-01T00:00:00Z","recipientAccountId":"999988887777"}`: "999988887777",
		`{"eventTime":"2024-01-01T00:00:00Z","recipientAccountId":""}`:             "default",
		`{"eventTime":"2024-01-01T00:00:00Z"}`:                                     "default",
	} {
		row, _, err := m.Map(json.RawMessage(raw))
		if err != nil {
			t.Fatal(err)
		}
		if row[pos] != want {
			t.Errorf("%s: tp_index %v, want %s", raw, row[pos], want)
		}
	}
	src.IndexColumn = "read_only"
	row, _, err := Map(json.RawMessage(`{"eventTime":"2024-01-01T00:00:00Z","readOnly":true}`), src)
	if err != nil || row[pos] != "true" {
		t.Errorf("read_only index: %v %v", row, err)
	}
	for _, bad := range []string{"no_such_column", "user_identity", "tp_akas", "tp_index"} {
		src.IndexColumn = bad
		if _, err := NewMapper(src); err == nil {
			t.Errorf("IndexColumn %q: want error", bad)
		}
	}
}

// TestNoTypedNils makes sure every NULL is an untyped nil, which the
// Appender needs.
func TestNoTypedNils(t *testing.T) {
	for _, raw := range []string{awsServiceEvent, errorEvent, resourcesEvent, tlsEvent, stringBoolsEvent, `{"eventTime":"2024-01-01T00:00:00Z"}`} {
		row, _, err := Map(json.RawMessage(raw), testSource())
		if err != nil {
			t.Fatal(err)
		}
		var walk func(path string, v any)
		walk = func(path string, v any) {
			if v == nil {
				return
			}
			rv := reflect.ValueOf(v)
			switch rv.Kind() {
			case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
				if rv.IsNil() {
					t.Errorf("%s is a typed nil %T", path, v)
				}
			}
			if m, ok := v.(map[string]any); ok {
				for k, x := range m {
					walk(path+"."+k, x)
				}
			}
		}
		for i, c := range lake.CloudTrailLog().Columns {
			walk(c.Name, row[i])
		}
	}
}
