package cloudtrail

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"
)

// rawEvent is one CloudTrail event as decoded from the file. JSON columns
// stay raw so their key order and content survive byte-exact (apart from
// insignificant whitespace); scalar fields use lenient types.
type rawEvent struct {
	AdditionalEventData          json.RawMessage `json:"additionalEventData"`
	APIVersion                   text            `json:"apiVersion"`
	AWSRegion                    text            `json:"awsRegion"`
	EdgeDeviceDetails            json.RawMessage `json:"edgeDeviceDetails"`
	ErrorCode                    text            `json:"errorCode"`
	ErrorMessage                 text            `json:"errorMessage"`
	EventCategory                text            `json:"eventCategory"`
	EventID                      text            `json:"eventID"`
	EventName                    text            `json:"eventName"`
	EventSource                  text            `json:"eventSource"`
	EventTime                    text            `json:"eventTime"`
	EventType                    text            `json:"eventType"`
	EventVersion                 text            `json:"eventVersion"`
	ManagementEvent              flexBool        `json:"managementEvent"`
	ReadOnly                     flexBool        `json:"readOnly"`
	RecipientAccountID           text            `json:"recipientAccountId"`
	RequestID                    text            `json:"requestID"`
	RequestParameters            json.RawMessage `json:"requestParameters"`
	Resources                    json.RawMessage `json:"resources"`
	ResponseElements             json.RawMessage `json:"responseElements"`
	ServiceEventDetails          json.RawMessage `json:"serviceEventDetails"`
	SessionCredentialFromConsole text            `json:"sessionCredentialFromConsole"`
	SharedEventID                text            `json:"sharedEventID"`
	SourceIPAddress              text            `json:"sourceIPAddress"`
	TLSDetails                   *tlsDetails     `json:"tlsDetails"`
	UserAgent                    text            `json:"userAgent"`
	UserIdentity                 *userIdentity   `json:"userIdentity"`
	VPCEndpointID                text            `json:"vpcEndpointId"`
}

type tlsDetails struct {
	TLSVersion               text `json:"tlsVersion"`
	CipherSuite              text `json:"cipherSuite"`
	ClientProvidedHostHeader text `json:"clientProvidedHostHeader"`
}

type userIdentity struct {
	Type             text            `json:"type"`
	PrincipalID      text            `json:"principalId"`
	ARN              text            `json:"arn"`
	AccountID        text            `json:"accountId"`
	AccessKeyID      text            `json:"accessKeyId"`
	UserName         text            `json:"userName"`
	InvokedBy        text            `json:"invokedBy"`
	IdentityProvider text            `json:"identityProvider"`
	SessionContext   *sessionContext `json:"sessionContext"`
}

type sessionContext struct {
	Attributes          *sessionAttributes   `json:"attributes"`
	SessionIssuer       *sessionIssuer       `json:"sessionIssuer"`
	WebIDFederationData *webIDFederationData `json:"webIdFederationData"`
	EC2RoleDelivery     text                 `json:"ec2RoleDelivery"`
}

type sessionAttributes struct {
	CreationDate     text `json:"creationDate"`
	MFAAuthenticated text `json:"mfaAuthenticated"`
}

type sessionIssuer struct {
	Type        text `json:"type"`
	PrincipalID text `json:"principalId"`
	ARN         text `json:"arn"`
	AccountID   text `json:"accountId"`
	UserName    text `json:"userName"`
}

type webIDFederationData struct {
	FederatedProvider text            `json:"federatedProvider"`
	Attributes        json.RawMessage `json:"attributes"`
}

type resource struct {
	ARN text `json:"ARN"`
}

// text is a lenient VARCHAR source: a JSON string is taken as is, a number
// or boolean as its JSON text, an object or array as compact JSON text, and
// null (or absence) as NULL.
type text struct {
	s  string
	ok bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *text) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) == 0 || string(b) == "null":
		*t = text{}
		return nil
	case b[0] == '"':
		inner := b[1 : len(b)-1]
		if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
			*t = text{string(inner), true}
			return nil
		}
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text{s, true}
	case b[0] == '{' || b[0] == '[':
		var buf bytes.Buffer
		if err := json.Compact(&buf, b); err != nil {
			return err
		}
		*t = text{validUTF8(buf.String()), true}
	default:
		*t = text{string(b), true}
	}
	return nil
}

// val returns the value for a VARCHAR column: string or untyped nil.
func (t text) val() any {
	if !t.ok {
		return nil
	}
	return t.s
}

// flexBool is a lenient BOOLEAN source: true/false, the strings "true" and
// "false" in any case, or null. Anything else is NULL.
type flexBool struct {
	v, ok bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexBool) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	switch {
	case strings.EqualFold(s, "true"):
		*f = flexBool{true, true}
	case strings.EqualFold(s, "false"):
		*f = flexBool{false, true}
	default:
		*f = flexBool{}
	}
	return nil
}

// val returns the value for a BOOLEAN column: bool or untyped nil.
func (f flexBool) val() any {
	if !f.ok {
		return nil
	}
	return f.v
}

// timeLayouts are the forms of CloudTrail timestamps parseTime reads after
// normalisation (see parseTime). Fractional seconds of any length after the
// seconds are accepted by every layout.
var timeLayouts = []string{
	time.RFC3339,               // 2014-03-06T21:22:54Z, 2014-03-06T21:22:54.123+02:00
	"2006-01-02T15:04:05Z0700", // 2014-03-06T21:22:54+0200
	"2006-01-02T15:04:05Z07",   // 2014-03-06T21:22:54+02
	"2006-01-02T15:04:05",      // CloudTrail Lake: 2014-03-06 21:22:54.000 (UTC)
	"20060102T150405Z0700",     // basic ISO 8601: 20131102T010628Z, 20131102T010628+0100
	"20060102T150405Z07:00",    // 20131102T010628+01:00
	"20060102T150405",          // 20131102T010628 (UTC)
}

// parseTime parses a CloudTrail timestamp in any form AWS documents or
// writes: RFC 3339 / extended ISO 8601 ("2014-03-06T21:22:54Z", with or
// without fractional seconds, "Z" or an offset with or without a colon),
// basic ISO 8601 ("20131102T010628Z", as in the creationDate of AWS's own
// userIdentity examples), and CloudTrail Lake's "2014-03-06 21:22:54.000".
// A space may replace the "T", "t" and "z" may be lowercase, and a time
// without a zone is UTC. Out-of-range fields (month 13, 25:00) fail.
func parseTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	s = normaliseTime(s)
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// normaliseTime uppercases the "T" separator and a "z" zone and turns a
// space separator into "T", so that timeLayouts need one spelling each.
func normaliseTime(s string) string {
	b := []byte(strings.TrimSpace(s))
	for _, i := range []int{8, 10} { // basic and extended date lengths
		if len(b) > i && (b[i] == ' ' || b[i] == 't' || b[i] == 'T') && isDigits(b[:4]) {
			b[i] = 'T'
			break
		}
	}
	if n := len(b); n > 0 && b[n-1] == 'z' {
		b[n-1] = 'Z'
	}
	return string(b)
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// validUTF8 replaces invalid UTF-8 sequences (which DuckDB rejects in
// VARCHAR values) with U+FFFD.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
