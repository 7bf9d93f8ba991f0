package cloudtrail

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// The mapping of events to []any rows as it was before events were
// appended to column batches: the reference Map is checked against.

// mapReference is Mapper.Map as it was before batches.
func (m *Mapper) mapReference(raw json.RawMessage) ([]any, []error, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, nil, errors.New("event is not a JSON object")
	}
	var ev rawEvent
	var jb jsonBuf
	if err := unmarshalEvent(raw, &ev); err != nil {
		var typeErr *json.UnmarshalTypeError
		if !errors.As(err, &typeErr) {
			return nil, nil, fmt.Errorf("event %s: %w", eventName(&ev), err)
		}
		// A field of an unexpected JSON type (e.g. userIdentity as a
		// string) is left NULL; the rest of the event is still mapped.
		jb.warnf(&ev, "%s is a JSON %s, not %s", typeErr.Field, typeErr.Value, jsonKind(typeErr.Type.Kind()))
	}
	if !ev.EventTime.ok {
		return nil, nil, fmt.Errorf("event %s: %w", eventName(&ev), ErrMissingEventTime)
	}
	eventTime, ok := parseTime(ev.EventTime.s)
	if !ok {
		return nil, nil, fmt.Errorf("event %s: %w (unparsable eventTime %q)", eventName(&ev), ErrMissingEventTime, ev.EventTime.s)
	}

	row := make([]any, numCols)
	set := func(c int, v any) { row[m.pos[c]] = v }

	set(cAdditionalEventData, jb.val(ev.AdditionalEventData))
	set(cAPIVersion, ev.APIVersion.val())
	set(cAWSRegion, ev.AWSRegion.val())
	set(cEdgeDeviceDetails, jb.val(ev.EdgeDeviceDetails))
	set(cErrorCode, ev.ErrorCode.val())
	set(cErrorMessage, ev.ErrorMessage.val())
	set(cEventCategory, ev.EventCategory.val())
	set(cEventID, ev.EventID.val())
	set(cEventName, ev.EventName.val())
	set(cEventSource, ev.EventSource.val())
	set(cEventTime, eventTime)
	set(cEventType, ev.EventType.val())
	set(cEventVersion, ev.EventVersion.val())
	set(cManagementEvent, ev.ManagementEvent.val())
	set(cReadOnly, ev.ReadOnly.val())
	set(cRecipientAccountID, ev.RecipientAccountID.val())
	set(cRequestID, ev.RequestID.val())
	set(cRequestParameters, jb.val(ev.RequestParameters))
	set(cResources, jb.val(ev.Resources))
	set(cResponseElements, jb.val(ev.ResponseElements))
	set(cServiceEventDetails, jb.val(ev.ServiceEventDetails))
	set(cSessionCredentialFromConsole, ev.SessionCredentialFromConsole.val())
	set(cSharedEventID, ev.SharedEventID.val())
	set(cSourceIPAddress, ev.SourceIPAddress.val())
	set(cTLSDetails, ev.TLSDetails.refValue())
	set(cUserAgent, ev.UserAgent.val())
	set(cUserIdentity, ev.UserIdentity.refValue(&jb, &ev))
	set(cVPCEndpointID, ev.VPCEndpointID.val())

	id, err := eventID(&ev, eventTime, raw)
	if err != nil {
		return nil, nil, fmt.Errorf("event %s: %w", eventName(&ev), err)
	}
	set(cTpAkas, refNilIfEmpty(akas(ev.Resources)))
	set(cTpDate, time.Date(eventTime.Year(), eventTime.Month(), eventTime.Day(), 0, 0, 0, 0, time.UTC))
	set(cTpDestinationIP, nil)
	set(cTpDomains, nil)
	set(cTpEmails, nil)
	set(cTpID, id)
	set(cTpIngestTimestamp, m.ingest)
	if ip := ev.SourceIPAddress; ip.ok && ip.s != "" {
		set(cTpIPs, []string{ip.s})
	} else {
		set(cTpIPs, nil)
	}
	set(cTpPartition, m.src.Partition)
	set(cTpSourceIP, ev.SourceIPAddress.val())
	set(cTpSourceLocation, m.src.SourceLocation)
	set(cTpSourceName, nil)
	set(cTpSourceType, m.src.SourceType)
	set(cTpTable, m.src.Table)
	set(cTpTags, nil)
	set(cTpTimestamp, eventTime)
	set(cTpUsernames, refNilIfEmpty(usernames(ev.UserIdentity)))
	index := DefaultIndex
	if m.indexCol >= 0 {
		if s := indexText(row[m.pos[m.indexCol]]); s != "" {
			index = s
		}
	}
	set(cTpIndex, index)
	return row, jb.warnings, nil
}

func (t *tlsDetails) refValue() any {
	if t == nil {
		return nil
	}
	return map[string]any{
		"cipher_suite":                t.CipherSuite.val(),
		"client_provided_host_header": t.ClientProvidedHostHeader.val(),
		"tls_version":                 t.TLSVersion.val(),
	}
}

func (u *userIdentity) refValue(jb *jsonBuf, ev *rawEvent) any {
	if u == nil {
		return nil
	}
	return map[string]any{
		"access_key_id":     u.AccessKeyID.val(),
		"account_id":        u.AccountID.val(),
		"arn":               u.ARN.val(),
		"identity_provider": u.IdentityProvider.val(),
		"invoked_by":        u.InvokedBy.val(),
		"principal_id":      u.PrincipalID.val(),
		"session_context":   u.SessionContext.refValue(jb, ev),
		"type":              u.Type.val(),
		"user_name":         u.UserName.val(),
	}
}

func (s *sessionContext) refValue(jb *jsonBuf, ev *rawEvent) any {
	if s == nil {
		return nil
	}
	return map[string]any{
		"attributes":             s.Attributes.refValue(jb, ev),
		"ec2_role_delivery":      s.EC2RoleDelivery.val(),
		"session_issuer":         s.SessionIssuer.refValue(),
		"web_id_federation_data": s.WebIDFederationData.refValue(jb),
	}
}

func (a *sessionAttributes) refValue(jb *jsonBuf, ev *rawEvent) any {
	if a == nil {
		return nil
	}
	var created any
	if a.CreationDate.ok && a.CreationDate.s != "" {
		if t, ok := parseTime(a.CreationDate.s); ok {
			created = t.UnixMilli()
		} else {
			jb.warnf(ev, "unparsable userIdentity.sessionContext.attributes.creationDate %q", a.CreationDate.s)
		}
	}
	return map[string]any{
		"creation_date":     created,
		"mfa_authenticated": a.MFAAuthenticated.val(),
	}
}

func (s *sessionIssuer) refValue() any {
	if s == nil {
		return nil
	}
	return map[string]any{
		"account_id":   s.AccountID.val(),
		"arn":          s.ARN.val(),
		"principal_id": s.PrincipalID.val(),
		"type":         s.Type.val(),
		"user_name":    s.UserName.val(),
	}
}

func (w *webIDFederationData) refValue(jb *jsonBuf) any {
	if w == nil {
		return nil
	}
	return map[string]any{
		"attributes":         jb.val(w.Attributes),
		"federated_provider": w.FederatedProvider.val(),
	}
}

// refNilIfEmpty returns s, or an untyped nil when s is empty (a typed nil slice
// in an interface would not be NULL to the Appender).
func refNilIfEmpty(s []string) any {
	if len(s) == 0 {
		return nil
	}
	return s
}

// val is jsonBuf.text as a value: the string or nil.
func (j *jsonBuf) val(raw json.RawMessage) any {
	if s, ok := j.text(raw); ok {
		return s
	}
	return nil
}
