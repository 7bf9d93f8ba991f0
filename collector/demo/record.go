package demo

// record is one CloudTrail event; the field order follows real CloudTrail.
type record struct {
	EventVersion                 string      `json:"eventVersion"`
	UserIdentity                 *identity   `json:"userIdentity"`
	EventTime                    string      `json:"eventTime"`
	EventSource                  string      `json:"eventSource"`
	EventName                    string      `json:"eventName"`
	AWSRegion                    string      `json:"awsRegion"`
	SourceIPAddress              string      `json:"sourceIPAddress"`
	UserAgent                    string      `json:"userAgent"`
	ErrorCode                    string      `json:"errorCode,omitempty"`
	ErrorMessage                 string      `json:"errorMessage,omitempty"`
	RequestParameters            any         `json:"requestParameters"`
	ResponseElements             any         `json:"responseElements"`
	AdditionalEventData          any         `json:"additionalEventData,omitempty"`
	RequestID                    string      `json:"requestID,omitempty"`
	EventID                      string      `json:"eventID"`
	ReadOnly                     bool        `json:"readOnly"`
	Resources                    []resource  `json:"resources,omitempty"`
	EventType                    string      `json:"eventType"`
	ManagementEvent              bool        `json:"managementEvent"`
	RecipientAccountID           string      `json:"recipientAccountId"`
	SharedEventID                string      `json:"sharedEventID,omitempty"`
	VPCEndpointID                string      `json:"vpcEndpointId,omitempty"`
	ServiceEventDetails          any         `json:"serviceEventDetails,omitempty"`
	EventCategory                string      `json:"eventCategory"`
	TLSDetails                   *tlsDetails `json:"tlsDetails,omitempty"`
	SessionCredentialFromConsole string      `json:"sessionCredentialFromConsole,omitempty"`
}

// identity is CloudTrail's userIdentity.
type identity struct {
	Type             string          `json:"type,omitempty"`
	PrincipalID      string          `json:"principalId,omitempty"`
	ARN              string          `json:"arn,omitempty"`
	AccountID        string          `json:"accountId,omitempty"`
	AccessKeyID      *string         `json:"accessKeyId,omitempty"`
	UserName         string          `json:"userName,omitempty"`
	SessionContext   *sessionContext `json:"sessionContext,omitempty"`
	InvokedBy        string          `json:"invokedBy,omitempty"`
	IdentityProvider string          `json:"identityProvider,omitempty"`
}

type sessionContext struct {
	SessionIssuer       *sessionIssuer `json:"sessionIssuer,omitempty"`
	WebIDFederationData *struct{}      `json:"webIdFederationData,omitempty"`
	Attributes          *attributes    `json:"attributes,omitempty"`
	EC2RoleDelivery     string         `json:"ec2RoleDelivery,omitempty"`
}

type sessionIssuer struct {
	Type        string `json:"type,omitempty"`
	PrincipalID string `json:"principalId,omitempty"`
	ARN         string `json:"arn,omitempty"`
	AccountID   string `json:"accountId,omitempty"`
	UserName    string `json:"userName,omitempty"`
}

type attributes struct {
	CreationDate     string `json:"creationDate"`
	MFAAuthenticated string `json:"mfaAuthenticated"`
}

type resource struct {
	AccountID string `json:"accountId,omitempty"`
	Type      string `json:"type"`
	ARN       string `json:"ARN"`
}

type tlsDetails struct {
	TLSVersion               string `json:"tlsVersion"`
	CipherSuite              string `json:"cipherSuite"`
	ClientProvidedHostHeader string `json:"clientProvidedHostHeader"`
}

// obj is a JSON object (requestParameters, responseElements, ...). Keys are
// written sorted, which keeps the output deterministic.
type obj = map[string]any

// arr is a JSON array.
type arr = []any

// items wraps values in EC2's {"items":[...]} list shape.
func items(v ...any) obj { return obj{"items": arr(v)} }
