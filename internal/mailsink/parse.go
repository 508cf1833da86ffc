package mailsink

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Received is one message as the sink got it: the SMTP envelope and the
// raw RFC 5322 data, with helpers that parse it.
type Received struct {
	// At is when the message arrived.
	At time.Time
	// From is the envelope sender (MAIL FROM).
	From string
	// To are the envelope recipients (RCPT TO).
	To []string
	// Data is the raw message, headers and body, as sent.
	Data []byte
}

// Part is one leaf of a message's MIME tree, with its body decoded.
type Part struct {
	// Header is the part's MIME header.
	Header textproto.MIMEHeader
	// MediaType is the content type without parameters, e.g. "text/html".
	MediaType string
	// Params are the content type's parameters, e.g. charset, method.
	Params map[string]string
	// Filename is the attachment's name, from Content-Disposition or the
	// content type's name parameter; empty for bodies.
	Filename string
	// Attachment reports a Content-Disposition of attachment.
	Attachment bool
	// Body is the content with the transfer encoding removed.
	Body []byte
}

// Header returns the first value of a top-level header, with RFC 2047
// encoded words decoded; "" when absent or unparsable.
func (r Received) Header(key string) string {
	m, err := netmail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		return ""
	}
	return decodeWords(m.Header.Get(key))
}

// Subject returns the decoded Subject header.
func (r Received) Subject() string { return r.Header("Subject") }

// Parts returns the leaves of the message's MIME tree in order.
func (r Received) Parts() ([]Part, error) {
	m, err := netmail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		return nil, fmt.Errorf("mailsink: parse: %w", err)
	}
	var parts []Part
	if err := walk(textproto.MIMEHeader(m.Header), m.Body, &parts); err != nil {
		return nil, err
	}
	return parts, nil
}

// TextBody returns the first text/plain part that is not an attachment,
// decoded, with CRLF line ends turned into \n and trailing line ends
// removed (the wire form adds one).
func (r Received) TextBody() string { return r.body("text/plain") }

// HTMLBody is TextBody for the first text/html part.
func (r Received) HTMLBody() string { return r.body("text/html") }

func (r Received) body(mediaType string) string {
	parts, _ := r.Parts()
	for _, p := range parts {
		if p.MediaType == mediaType && !p.Attachment && p.Filename == "" {
			return strings.TrimRight(strings.ReplaceAll(string(p.Body), "\r\n", "\n"), "\n")
		}
	}
	return ""
}

// Attachment returns the decoded content of the part named name, or nil.
func (r Received) Attachment(name string) []byte {
	if p, ok := r.AttachmentPart(name); ok {
		return p.Body
	}
	return nil
}

// AttachmentPart returns the part named name, with its content type.
func (r Received) AttachmentPart(name string) (Part, bool) {
	parts, _ := r.Parts()
	for _, p := range parts {
		if p.Filename == name {
			return p, true
		}
	}
	return Part{}, false
}

func walk(h textproto.MIMEHeader, body io.Reader, out *[]Part) error {
	mediaType, params := "text/plain", map[string]string{"charset": "us-ascii"}
	if ct := h.Get("Content-Type"); ct != "" {
		mt, p, err := mime.ParseMediaType(ct)
		if err != nil {
			return fmt.Errorf("mailsink: content type: %w", err)
		}
		mediaType, params = mt, p
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			// NextRawPart: the transfer encoding is removed below, the same
			// way for every part.
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("mailsink: multipart: %w", err)
			}
			if err := walk(p.Header, p, out); err != nil {
				return err
			}
		}
	}
	var r io.Reader = body
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, body)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("mailsink: decode %s: %w", mediaType, err)
	}
	p := Part{Header: h, MediaType: mediaType, Params: params, Body: data}
	if d, dp, err := mime.ParseMediaType(h.Get("Content-Disposition")); err == nil {
		p.Attachment = d == "attachment"
		p.Filename = decodeWords(dp["filename"])
	}
	if p.Filename == "" {
		p.Filename = decodeWords(params["name"])
	}
	*out = append(*out, p)
	return nil
}

func decodeWords(s string) string {
	d, err := new(mime.WordDecoder).DecodeHeader(s)
	if err != nil {
		return s
	}
	return d
}
