package integration_test

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The conformance replay speaks XML-RPC with raw requests and reads raw
// answers, because kolo/xmlrpc decodes structs into Go maps and loses the
// member order that Python clients see. Requests are written the way
// Python's xmlrpc.client writes them (the recording's client).

// encodeMethodCall writes an XML-RPC call as Python's xmlrpc.client does.
func encodeMethodCall(method string, params []any) []byte {
	var b bytes.Buffer
	b.WriteString("<?xml version='1.0'?>\n<methodCall>\n<methodName>")
	b.WriteString(xmlEscape(method))
	b.WriteString("</methodName>\n<params>\n")
	for _, p := range params {
		b.WriteString("<param>\n")
		encodeXMLValue(&b, p)
		b.WriteString("</param>\n")
	}
	b.WriteString("</params>\n</methodCall>\n")
	return b.Bytes()
}

func encodeXMLValue(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("<value><nil/></value>") // Python writes no newline after nil
		return
	case bool:
		if x {
			b.WriteString("<value><boolean>1</boolean></value>")
		} else {
			b.WriteString("<value><boolean>0</boolean></value>")
		}
	case int64:
		fmt.Fprintf(b, "<value><int>%d</int></value>", x)
	case float64:
		fmt.Fprintf(b, "<value><double>%s</double></value>", pyFloat(x))
	case string:
		b.WriteString("<value><string>")
		b.WriteString(xmlEscape(x))
		b.WriteString("</string></value>")
	case xmlBytes:
		fmt.Fprintf(b, "<value><base64>\n%s\n</base64></value>", base64.StdEncoding.EncodeToString(x))
	case xmlTime:
		fmt.Fprintf(b, "<value><dateTime.iso8601>%s</dateTime.iso8601></value>", string(x))
	case []any:
		b.WriteString("<value><array><data>\n")
		for _, e := range x {
			encodeXMLValue(b, e)
		}
		b.WriteString("</data></array></value>")
	case *object:
		b.WriteString("<value><struct>\n")
		for _, k := range x.keys {
			b.WriteString("<member>\n<name>")
			b.WriteString(xmlEscape(k))
			b.WriteString("</name>\n")
			encodeXMLValue(b, x.vals[k])
			b.WriteString("</member>\n")
		}
		b.WriteString("</struct></value>")
	default:
		panic(fmt.Sprintf("encodeXMLValue: unexpected %T", v))
	}
	b.WriteString("\n")
}

// xmlAnswer is a decoded methodResponse: a result, or a fault's code and
// string.
type xmlAnswer struct {
	result      any
	fault       bool
	faultCode   any
	faultString string
}

// decodeMethodResponse reads a methodResponse, keeping struct member order.
func decodeMethodResponse(data []byte) (xmlAnswer, error) {
	p := xmlParser{dec: xml.NewDecoder(bytes.NewReader(data))}
	root, err := p.start()
	if err != nil {
		return xmlAnswer{}, err
	}
	if root.Name.Local != "methodResponse" {
		return xmlAnswer{}, fmt.Errorf("xml-rpc: root element %q", root.Name.Local)
	}
	el, err := p.start()
	if err != nil {
		return xmlAnswer{}, err
	}
	switch el.Name.Local {
	case "params":
		if err := p.expect("param"); err != nil {
			return xmlAnswer{}, err
		}
		if err := p.expect("value"); err != nil {
			return xmlAnswer{}, err
		}
		v, err := p.value()
		if err != nil {
			return xmlAnswer{}, err
		}
		return xmlAnswer{result: v}, nil
	case "fault":
		if err := p.expect("value"); err != nil {
			return xmlAnswer{}, err
		}
		v, err := p.value()
		if err != nil {
			return xmlAnswer{}, err
		}
		st, ok := v.(*object)
		if !ok {
			return xmlAnswer{}, errors.New("xml-rpc: fault value is not a struct")
		}
		code, _ := st.get("faultCode")
		s, _ := st.get("faultString")
		str, _ := s.(string)
		return xmlAnswer{fault: true, faultCode: code, faultString: str}, nil
	}
	return xmlAnswer{}, fmt.Errorf("xml-rpc: unexpected element %q", el.Name.Local)
}

// xmlParser walks the tokens of an XML-RPC document.
type xmlParser struct{ dec *xml.Decoder }

// start returns the next start element, skipping text and comments; an end
// element or the end of input first is an error.
func (p *xmlParser) start() (xml.StartElement, error) {
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return xml.StartElement{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.EndElement:
			return xml.StartElement{}, fmt.Errorf("xml-rpc: unexpected </%s>", t.Name.Local)
		}
	}
}

func (p *xmlParser) expect(name string) error {
	el, err := p.start()
	if err != nil {
		return err
	}
	if el.Name.Local != name {
		return fmt.Errorf("xml-rpc: <%s> where <%s> belongs", el.Name.Local, name)
	}
	return nil
}

// text reads character data up to the end of the current element.
func (p *xmlParser) text() (string, error) {
	var s strings.Builder
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			s.Write(t)
		case xml.EndElement:
			return s.String(), nil
		case xml.StartElement:
			return "", fmt.Errorf("xml-rpc: <%s> inside a scalar", t.Name.Local)
		}
	}
}

// value reads the content of a <value> whose start was consumed, and its
// end. Text without a type element is a string.
func (p *xmlParser) value() (any, error) {
	var text strings.Builder
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			return text.String(), nil
		case xml.StartElement:
			v, err := p.typed(t.Name.Local)
			if err != nil {
				return nil, err
			}
			return v, p.end()
		}
	}
}

// end consumes the rest of the current element, which must hold only
// blanks.
func (p *xmlParser) end() error {
	s, err := p.text()
	if err != nil {
		return err
	}
	if strings.TrimSpace(s) != "" {
		return fmt.Errorf("xml-rpc: stray text %q", s)
	}
	return nil
}

func (p *xmlParser) typed(kind string) (any, error) {
	switch kind {
	case "array":
		return p.array()
	case "struct":
		return p.structure()
	case "nil":
		return nil, p.end()
	}
	s, err := p.text()
	if err != nil {
		return nil, err
	}
	switch kind {
	case "string":
		return s, nil
	case "int", "i4", "i8":
		return strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	case "double":
		return strconv.ParseFloat(strings.TrimSpace(s), 64)
	case "boolean":
		switch strings.TrimSpace(s) {
		case "1":
			return true, nil
		case "0":
			return false, nil
		}
		return nil, fmt.Errorf("xml-rpc: boolean %q", s)
	case "base64":
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
		return xmlBytes(b), err
	case "dateTime.iso8601":
		return xmlTime(strings.TrimSpace(s)), nil
	}
	return nil, fmt.Errorf("xml-rpc: unknown type <%s>", kind)
}

func (p *xmlParser) array() (any, error) {
	if err := p.expect("data"); err != nil {
		return nil, err
	}
	list := []any{}
	err := p.each("value", "an array", func() error {
		v, err := p.value()
		list = append(list, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	return list, p.end() // </array>
}

func (p *xmlParser) structure() (any, error) {
	o := newObject()
	err := p.each("member", "a struct", func() error {
		if err := p.expect("name"); err != nil {
			return err
		}
		name, err := p.text()
		if err != nil {
			return err
		}
		if err := p.expect("value"); err != nil {
			return err
		}
		v, err := p.value()
		if err != nil {
			return err
		}
		o.set(name, v)
		return p.end() // </member>
	})
	return o, err
}

// each calls fn at every child element of the current element, which must
// be named name, and consumes the current element's end.
func (p *xmlParser) each(name, in string, fn func() error) error {
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != name {
				return fmt.Errorf("xml-rpc: <%s> in %s", t.Name.Local, in)
			}
			if err := fn(); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}
