package cloudtrail

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"
)

// decodeEvent is the fast path of unmarshalEvent for the usual event: it
// walks the event's JSON once, matching keys exactly and handing each
// value's bytes to the same UnmarshalJSON methods the JSON libraries call,
// without reflection or a copy of the event. It reports false, leaving ev
// to be reset and decoded again by unmarshalEvent, for anything that path
// could treat otherwise: invalid JSON, a key with escapes, a key matching a
// field only case-insensitively, a field given twice, or a nested object
// field of another JSON type (which unmarshalEvent turns into a warning).
func decodeEvent(raw []byte, ev *rawEvent) bool {
	return (&eventDecoder{raw: raw, s: string(raw)}).event(ev)
}

// event is decodeEvent of d.raw.
func (d *eventDecoder) event(ev *rawEvent) bool {
	raw := d.raw
	return eachMember(raw, eventFields, func(key string, val []byte) bool {
		switch key {
		case "additionalEventData":
			ev.AdditionalEventData = val
		case "apiVersion":
			return d.text(&ev.APIVersion, val)
		case "awsRegion":
			return d.text(&ev.AWSRegion, val)
		case "edgeDeviceDetails":
			ev.EdgeDeviceDetails = val
		case "errorCode":
			return d.text(&ev.ErrorCode, val)
		case "errorMessage":
			return d.text(&ev.ErrorMessage, val)
		case "eventCategory":
			return d.text(&ev.EventCategory, val)
		case "eventID":
			return d.text(&ev.EventID, val)
		case "eventName":
			return d.text(&ev.EventName, val)
		case "eventSource":
			return d.text(&ev.EventSource, val)
		case "eventTime":
			return d.text(&ev.EventTime, val)
		case "eventType":
			return d.text(&ev.EventType, val)
		case "eventVersion":
			return d.text(&ev.EventVersion, val)
		case "managementEvent":
			return ev.ManagementEvent.UnmarshalJSON(val) == nil
		case "readOnly":
			return ev.ReadOnly.UnmarshalJSON(val) == nil
		case "recipientAccountId":
			return d.text(&ev.RecipientAccountID, val)
		case "requestID":
			return d.text(&ev.RequestID, val)
		case "requestParameters":
			ev.RequestParameters = val
		case "resources":
			ev.Resources = val
		case "responseElements":
			ev.ResponseElements = val
		case "serviceEventDetails":
			ev.ServiceEventDetails = val
		case "sessionCredentialFromConsole":
			return d.text(&ev.SessionCredentialFromConsole, val)
		case "sharedEventID":
			return d.text(&ev.SharedEventID, val)
		case "sourceIPAddress":
			return d.text(&ev.SourceIPAddress, val)
		case "tlsDetails":
			return decodeObject(val, &ev.TLSDetails, d.decodeTLSDetails)
		case "userAgent":
			return d.text(&ev.UserAgent, val)
		case "userIdentity":
			return decodeObject(val, &ev.UserIdentity, d.decodeUserIdentity)
		case "vpcEndpointId":
			return d.text(&ev.VPCEndpointID, val)
		}
		return true
	})
}

func (d *eventDecoder) decodeTLSDetails(raw []byte, t *tlsDetails) bool {
	return eachMember(raw, tlsDetailsFields, func(key string, val []byte) bool {
		switch key {
		case "tlsVersion":
			return d.text(&t.TLSVersion, val)
		case "cipherSuite":
			return d.text(&t.CipherSuite, val)
		case "clientProvidedHostHeader":
			return d.text(&t.ClientProvidedHostHeader, val)
		}
		return true
	})
}

func (d *eventDecoder) decodeUserIdentity(raw []byte, u *userIdentity) bool {
	return eachMember(raw, userIdentityFields, func(key string, val []byte) bool {
		switch key {
		case "type":
			return d.text(&u.Type, val)
		case "principalId":
			return d.text(&u.PrincipalID, val)
		case "arn":
			return d.text(&u.ARN, val)
		case "accountId":
			return d.text(&u.AccountID, val)
		case "accessKeyId":
			return d.text(&u.AccessKeyID, val)
		case "userName":
			return d.text(&u.UserName, val)
		case "invokedBy":
			return d.text(&u.InvokedBy, val)
		case "identityProvider":
			return d.text(&u.IdentityProvider, val)
		case "sessionContext":
			return decodeObject(val, &u.SessionContext, d.decodeSessionContext)
		}
		return true
	})
}

func (d *eventDecoder) decodeSessionContext(raw []byte, s *sessionContext) bool {
	return eachMember(raw, sessionContextFields, func(key string, val []byte) bool {
		switch key {
		case "attributes":
			return decodeObject(val, &s.Attributes, d.decodeSessionAttributes)
		case "sessionIssuer":
			return decodeObject(val, &s.SessionIssuer, d.decodeSessionIssuer)
		case "webIdFederationData":
			return decodeObject(val, &s.WebIDFederationData, d.decodeWebIDFederationData)
		case "ec2RoleDelivery":
			return d.text(&s.EC2RoleDelivery, val)
		}
		return true
	})
}

func (d *eventDecoder) decodeSessionAttributes(raw []byte, a *sessionAttributes) bool {
	return eachMember(raw, sessionAttributesFields, func(key string, val []byte) bool {
		switch key {
		case "creationDate":
			return d.text(&a.CreationDate, val)
		case "mfaAuthenticated":
			return d.text(&a.MFAAuthenticated, val)
		}
		return true
	})
}

func (d *eventDecoder) decodeSessionIssuer(raw []byte, s *sessionIssuer) bool {
	return eachMember(raw, sessionIssuerFields, func(key string, val []byte) bool {
		switch key {
		case "type":
			return d.text(&s.Type, val)
		case "principalId":
			return d.text(&s.PrincipalID, val)
		case "arn":
			return d.text(&s.ARN, val)
		case "accountId":
			return d.text(&s.AccountID, val)
		case "userName":
			return d.text(&s.UserName, val)
		}
		return true
	})
}

func (d *eventDecoder) decodeWebIDFederationData(raw []byte, w *webIDFederationData) bool {
	return eachMember(raw, webIDFederationDataFields, func(key string, val []byte) bool {
		switch key {
		case "federatedProvider":
			return d.text(&w.FederatedProvider, val)
		case "attributes":
			w.Attributes = val
		}
		return true
	})
}

// eventDecoder holds the event being decoded, also as one string: the
// text values without escapes are substrings of it, one allocation for the
// event instead of one per value.
type eventDecoder struct {
	raw []byte
	s   string
}

// text sets t from the JSON value val, a part of d.raw, as
// text.UnmarshalJSON does.
func (d *eventDecoder) text(t *text, val []byte) bool {
	if len(val) >= 2 && val[0] == '"' {
		inner := val[1 : len(val)-1]
		if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
			// val shares d.raw's array: its offset is the difference of
			// their capacities.
			start := cap(d.raw) - cap(inner)
			*t = text{d.s[start : start+len(inner)], true}
			return true
		}
	}
	return t.UnmarshalJSON(val) == nil
}

// decodeObject sets *p to nil for a JSON null, or to a new T decoded from
// the object val; any other JSON type is not handled here.
func decodeObject[T any](val []byte, p **T, decode func([]byte, *T) bool) bool {
	switch val[0] {
	case 'n':
		*p = nil
		return true
	case '{':
		v := new(T)
		*p = v
		return decode(val, v)
	}
	return false
}

// fieldSet is the JSON field names of a decoded struct, for the checks of
// eachMember.
type fieldSet struct {
	names []string
	// byLen lists the field numbers of each name length: a key is looked
	// up among the few of its length, without hashing it.
	byLen [][]int
}

func newFieldSet(names ...string) *fieldSet {
	fs := &fieldSet{names: names}
	for i, n := range names {
		for len(fs.byLen) <= len(n) {
			fs.byLen = append(fs.byLen, nil)
		}
		fs.byLen[len(n)] = append(fs.byLen[len(n)], i)
	}
	return fs
}

// index returns the number of the field named key, or false.
func (fs *fieldSet) index(key []byte) (int, bool) {
	if len(key) >= len(fs.byLen) {
		return 0, false
	}
	for _, i := range fs.byLen[len(key)] {
		if fs.names[i] == string(key) {
			return i, true
		}
	}
	return 0, false
}

// Field names of each decoded struct.
var (
	eventFields = newFieldSet("additionalEventData", "apiVersion", "awsRegion", "edgeDeviceDetails", "errorCode",
		"errorMessage", "eventCategory", "eventID", "eventName", "eventSource", "eventTime", "eventType",
		"eventVersion", "managementEvent", "readOnly", "recipientAccountId", "requestID", "requestParameters",
		"resources", "responseElements", "serviceEventDetails", "sessionCredentialFromConsole", "sharedEventID",
		"sourceIPAddress", "tlsDetails", "userAgent", "userIdentity", "vpcEndpointId")
	tlsDetailsFields   = newFieldSet("tlsVersion", "cipherSuite", "clientProvidedHostHeader")
	userIdentityFields = newFieldSet("type", "principalId", "arn", "accountId", "accessKeyId", "userName",
		"invokedBy", "identityProvider", "sessionContext")
	sessionContextFields      = newFieldSet("attributes", "sessionIssuer", "webIdFederationData", "ec2RoleDelivery")
	sessionAttributesFields   = newFieldSet("creationDate", "mfaAuthenticated")
	sessionIssuerFields       = newFieldSet("type", "principalId", "arn", "accountId", "userName")
	webIDFederationDataFields = newFieldSet("federatedProvider", "attributes")
)

// eachMember calls fn with the key and the value bytes of each member of
// the JSON object obj, in order, and reports whether obj is a valid object
// and every call returned true. It gives up (false) on a key with escapes,
// a key that matches one of fields only case-insensitively, and a second
// member for one of fields (at most 64).
func eachMember(obj []byte, fields *fieldSet, fn func(key string, val []byte) bool) bool {
	v := validator{doc: obj}
	i := v.space(0)
	if i >= len(obj) || obj[i] != '{' {
		return false
	}
	var seen uint64
	i = v.space(i + 1)
	if i < len(obj) && obj[i] == '}' {
		return v.space(i+1) == len(obj)
	}
	for {
		if i >= len(obj) || obj[i] != '"' {
			return false
		}
		end := v.str(i)
		if end < 0 {
			return false
		}
		key := obj[i+1 : end-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			return false
		}
		n, known := fields.index(key)
		if !known {
			n = -1
		}
		switch {
		case n >= 0 && seen&(1<<n) != 0:
			return false
		case n >= 0:
			seen |= 1 << n
		case foldsToField(fields, key):
			return false
		}
		if i = v.space(end); i >= len(obj) || obj[i] != ':' {
			return false
		}
		start := v.space(i + 1)
		stop := v.value(start, 1)
		if stop < 0 {
			return false
		}
		if n >= 0 && !fn(fields.names[n], obj[start:stop]) {
			return false
		}
		i = v.space(stop)
		if i >= len(obj) {
			return false
		}
		switch obj[i] {
		case ',':
			i = v.space(i + 1)
		case '}':
			return v.space(i+1) == len(obj)
		default:
			return false
		}
	}
}

// foldsToField reports whether key equals one of fields case-insensitively.
func foldsToField(fields *fieldSet, key []byte) bool {
	for _, f := range fields.names {
		if strings.EqualFold(f, string(key)) {
			return true
		}
	}
	return false
}

// unmarshalEvent decodes raw into ev: through decodeEvent, or else with
// go-json, about twice as fast as encoding/json on CloudTrail events.
// go-json stops at a field of the wrong type where encoding/json goes on,
// so input it rejects is decoded again by encoding/json, whose errors and
// partial results the mapping reports.
func unmarshalEvent(raw []byte, ev *rawEvent) error {
	_, err := unmarshalEventText(raw, ev)
	return err
}

// unmarshalEventText is unmarshalEvent, returning also the copy of raw as
// a string whose parts ev's text values are when decodeEvent decoded it;
// "" otherwise.
func unmarshalEventText(raw []byte, ev *rawEvent) (string, error) {
	d := &eventDecoder{raw: raw, s: string(raw)}
	if d.event(ev) {
		return d.s, nil
	}
	*ev = rawEvent{}
	return "", unmarshalEventSlow(raw, ev)
}

// unmarshalEventSlow is unmarshalEvent without the fast path.
func unmarshalEventSlow(raw []byte, ev *rawEvent) error {
	if err := gojson.Unmarshal(raw, ev); err == nil {
		return nil
	}
	*ev = rawEvent{}
	return json.Unmarshal(raw, ev)
}
