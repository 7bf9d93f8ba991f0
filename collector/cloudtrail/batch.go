package cloudtrail

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tpserver/tpserver/collector/internal/colbuf"
)

// columnKinds returns the kind of each internal column; STRUCT columns are
// built by structColumn.
func columnKinds() [numCols]colbuf.Kind {
	var k [numCols]colbuf.Kind // colbuf.String unless set below
	for _, c := range []int{cEventTime, cTpIngestTimestamp, cTpTimestamp} {
		k[c] = colbuf.Timestamp
	}
	k[cManagementEvent], k[cReadOnly] = colbuf.Bool, colbuf.Bool
	k[cTpDate] = colbuf.Date
	for _, c := range []int{cTpAkas, cTpDomains, cTpEmails, cTpIPs, cTpTags, cTpUsernames} {
		k[c] = colbuf.StringList
	}
	k[cTLSDetails], k[cUserIdentity] = colbuf.Struct, colbuf.Struct
	return k
}

// NewBatch returns an empty batch of the columns of
// lake.CloudTrailLog(), in its order, for Append.
func (m *Mapper) NewBatch() *colbuf.Batch {
	b := &colbuf.Batch{Cols: make([]*colbuf.Column, numCols)}
	kinds := columnKinds()
	for c, name := range columnNames() {
		var col *colbuf.Column
		switch c {
		case cTLSDetails:
			col = tlsDetailsColumn(name)
		case cUserIdentity:
			col = userIdentityColumn(name)
		default:
			col = colbuf.NewColumn(name, kinds[c])
		}
		b.Cols[m.pos[c]] = col
	}
	return b
}

// varchar returns an empty String column.
func varchar(name string) *colbuf.Column { return colbuf.NewColumn(name, colbuf.String) }

// The STRUCT columns, their fields in the order of the lake's types.
func tlsDetailsColumn(name string) *colbuf.Column {
	return colbuf.NewColumn(name, colbuf.Struct,
		varchar("cipher_suite"), varchar("client_provided_host_header"), varchar("tls_version"))
}

func userIdentityColumn(name string) *colbuf.Column {
	return colbuf.NewColumn(name, colbuf.Struct,
		varchar("access_key_id"), varchar("account_id"), varchar("arn"), varchar("identity_provider"),
		varchar("invoked_by"), varchar("principal_id"),
		colbuf.NewColumn("session_context", colbuf.Struct,
			colbuf.NewColumn("attributes", colbuf.Struct,
				colbuf.NewColumn("creation_date", colbuf.Int64), varchar("mfa_authenticated")),
			varchar("ec2_role_delivery"),
			colbuf.NewColumn("session_issuer", colbuf.Struct,
				varchar("account_id"), varchar("arn"), varchar("principal_id"), varchar("type"), varchar("user_name")),
			colbuf.NewColumn("web_id_federation_data", colbuf.Struct,
				varchar("attributes"), varchar("federated_provider"))),
		varchar("type"), varchar("user_name"))
}

// Append maps one event and appends its row to b, a batch of NewBatch,
// with the values Map returns; it returns the event's time and the
// warnings and errors of Map. An event that fails appends nothing.
func (m *Mapper) Append(raw json.RawMessage, b *colbuf.Batch) (time.Time, []error, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return time.Time{}, nil, errors.New("event is not a JSON object")
	}
	var ev rawEvent
	var jb jsonBuf
	text, err := unmarshalEventText(raw, &ev)
	jb.raw, jb.s = raw, text
	if err != nil {
		var typeErr *json.UnmarshalTypeError
		if !errors.As(err, &typeErr) {
			return time.Time{}, nil, fmt.Errorf("event %s: %w", eventName(&ev), err)
		}
		// A field of an unexpected JSON type (e.g. userIdentity as a
		// string) is left NULL; the rest of the event is still mapped.
		jb.warnf(&ev, "%s is a JSON %s, not %s", typeErr.Field, typeErr.Value, jsonKind(typeErr.Type.Kind()))
	}
	if !ev.EventTime.ok {
		return time.Time{}, nil, fmt.Errorf("event %s: %w", eventName(&ev), ErrMissingEventTime)
	}
	eventTime, ok := parseTime(ev.EventTime.s)
	if !ok {
		return time.Time{}, nil, fmt.Errorf("event %s: %w (unparsable eventTime %q)", eventName(&ev), ErrMissingEventTime, ev.EventTime.s)
	}
	id, err := eventID(&ev, eventTime, raw)
	if err != nil {
		return time.Time{}, nil, fmt.Errorf("event %s: %w", eventName(&ev), err)
	}
	col := func(c int) *colbuf.Column { return b.Cols[m.pos[c]] }
	m.appendEventColumns(&ev, &jb, eventTime, col)

	appendList(col(cTpAkas), akas(ev.Resources))
	col(cTpDate).AppendDate(eventTime)
	col(cTpDestinationIP).AppendNull()
	col(cTpDomains).AppendNull()
	col(cTpEmails).AppendNull()
	col(cTpID).AppendString(id)
	col(cTpIngestTimestamp).AppendTime(m.ingest)
	if ip := ev.SourceIPAddress; ip.ok && ip.s != "" {
		col(cTpIPs).AppendList(ip.s)
	} else {
		col(cTpIPs).AppendNull()
	}
	col(cTpPartition).AppendString(m.src.Partition)
	appendText(col(cTpSourceIP), ev.SourceIPAddress)
	col(cTpSourceLocation).AppendString(m.src.SourceLocation)
	col(cTpSourceName).AppendNull()
	col(cTpSourceType).AppendString(m.src.SourceType)
	col(cTpTable).AppendString(m.src.Table)
	col(cTpTags).AppendNull()
	col(cTpTimestamp).AppendTime(eventTime)
	appendList(col(cTpUsernames), usernames(ev.UserIdentity))
	index := DefaultIndex
	if m.indexCol >= 0 {
		c := col(m.indexCol)
		if s := indexText(c.Value(c.Len() - 1)); s != "" {
			index = s
		}
	}
	col(cTpIndex).AppendString(index)
	return eventTime, jb.warnings, nil
}

// appendEventColumns appends the columns of ev's own fields.
func (m *Mapper) appendEventColumns(ev *rawEvent, jb *jsonBuf, eventTime time.Time, col func(int) *colbuf.Column) {
	jb.append(col(cAdditionalEventData), ev.AdditionalEventData)
	appendText(col(cAPIVersion), ev.APIVersion)
	appendText(col(cAWSRegion), ev.AWSRegion)
	jb.append(col(cEdgeDeviceDetails), ev.EdgeDeviceDetails)
	appendText(col(cErrorCode), ev.ErrorCode)
	appendText(col(cErrorMessage), ev.ErrorMessage)
	appendText(col(cEventCategory), ev.EventCategory)
	appendText(col(cEventID), ev.EventID)
	appendText(col(cEventName), ev.EventName)
	appendText(col(cEventSource), ev.EventSource)
	col(cEventTime).AppendTime(eventTime)
	appendText(col(cEventType), ev.EventType)
	appendText(col(cEventVersion), ev.EventVersion)
	appendBool(col(cManagementEvent), ev.ManagementEvent)
	appendBool(col(cReadOnly), ev.ReadOnly)
	appendText(col(cRecipientAccountID), ev.RecipientAccountID)
	appendText(col(cRequestID), ev.RequestID)
	jb.append(col(cRequestParameters), ev.RequestParameters)
	jb.append(col(cResources), ev.Resources)
	jb.append(col(cResponseElements), ev.ResponseElements)
	jb.append(col(cServiceEventDetails), ev.ServiceEventDetails)
	appendText(col(cSessionCredentialFromConsole), ev.SessionCredentialFromConsole)
	appendText(col(cSharedEventID), ev.SharedEventID)
	appendText(col(cSourceIPAddress), ev.SourceIPAddress)
	ev.TLSDetails.appendTo(col(cTLSDetails))
	appendText(col(cUserAgent), ev.UserAgent)
	ev.UserIdentity.appendTo(col(cUserIdentity), jb, ev)
	appendText(col(cVPCEndpointID), ev.VPCEndpointID)
}

// appendText appends t to a String column: NULL unless t is set.
func appendText(c *colbuf.Column, t text) {
	if !t.ok {
		c.AppendNull()
		return
	}
	c.AppendString(t.s)
}

// appendBool appends f to a Bool column: NULL unless f is set.
func appendBool(c *colbuf.Column, f flexBool) {
	if !f.ok {
		c.AppendNull()
		return
	}
	c.AppendBool(f.v)
}

// appendList appends ss to a StringList column, NULL when empty.
func appendList(c *colbuf.Column, ss []string) {
	if len(ss) == 0 {
		c.AppendNull()
		return
	}
	c.AppendList(ss...)
}

// append appends raw to a String column as compact JSON text, NULL when
// absent or null.
func (j *jsonBuf) append(c *colbuf.Column, raw json.RawMessage) {
	if s, ok := j.text(raw); ok {
		c.AppendString(s)
		return
	}
	c.AppendNull()
}

func (t *tlsDetails) appendTo(c *colbuf.Column) {
	if t == nil {
		c.AppendNull()
		return
	}
	c.AppendStruct()
	f := c.Fields
	appendText(f[0], t.CipherSuite)
	appendText(f[1], t.ClientProvidedHostHeader)
	appendText(f[2], t.TLSVersion)
}

func (u *userIdentity) appendTo(c *colbuf.Column, jb *jsonBuf, ev *rawEvent) {
	if u == nil {
		c.AppendNull()
		return
	}
	c.AppendStruct()
	f := c.Fields
	appendText(f[0], u.AccessKeyID)
	appendText(f[1], u.AccountID)
	appendText(f[2], u.ARN)
	appendText(f[3], u.IdentityProvider)
	appendText(f[4], u.InvokedBy)
	appendText(f[5], u.PrincipalID)
	u.SessionContext.appendTo(f[6], jb, ev)
	appendText(f[7], u.Type)
	appendText(f[8], u.UserName)
}

func (s *sessionContext) appendTo(c *colbuf.Column, jb *jsonBuf, ev *rawEvent) {
	if s == nil {
		c.AppendNull()
		return
	}
	c.AppendStruct()
	f := c.Fields
	s.Attributes.appendTo(f[0], jb, ev)
	appendText(f[1], s.EC2RoleDelivery)
	s.SessionIssuer.appendTo(f[2])
	s.WebIDFederationData.appendTo(f[3], jb)
}

func (a *sessionAttributes) appendTo(c *colbuf.Column, jb *jsonBuf, ev *rawEvent) {
	if a == nil {
		c.AppendNull()
		return
	}
	c.AppendStruct()
	f := c.Fields
	switch {
	case !a.CreationDate.ok || a.CreationDate.s == "":
		f[0].AppendNull()
	default:
		if t, ok := parseTime(a.CreationDate.s); ok {
			f[0].AppendInt(t.UnixMilli())
		} else {
			f[0].AppendNull()
			jb.warnf(ev, "unparsable userIdentity.sessionContext.attributes.creationDate %q", a.CreationDate.s)
		}
	}
	appendText(f[1], a.MFAAuthenticated)
}

func (s *sessionIssuer) appendTo(c *colbuf.Column) {
	if s == nil {
		c.AppendNull()
		return
	}
	c.AppendStruct()
	f := c.Fields
	appendText(f[0], s.AccountID)
	appendText(f[1], s.ARN)
	appendText(f[2], s.PrincipalID)
	appendText(f[3], s.Type)
	appendText(f[4], s.UserName)
}

func (w *webIDFederationData) appendTo(c *colbuf.Column, jb *jsonBuf) {
	if w == nil {
		c.AppendNull()
		return
	}
	c.AppendStruct()
	jb.append(c.Fields[0], w.Attributes)
	appendText(c.Fields[1], w.FederatedProvider)
}
