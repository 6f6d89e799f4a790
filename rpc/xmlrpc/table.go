package xmlrpc

import (
	"math"
	"slices"
	"strconv"
	"sync"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc/wire"
)

// A search_read answer is thousands of short pieces: between two values
// come the closing of one member and the opening of the next, with its
// name. The table writer keeps, for each set of field names, every such
// junction ready to copy as one piece, so that a member costs one copy
// and its value instead of three copies. The templates are built once per
// set of names and shared by all calls.

// The kinds of value the table writer writes inline; xmlOther is any other
// value, written by value() between a bare member opening and </member>.
const (
	xmlOther = iota
	xmlString
	xmlInt
	xmlDouble
	xmlPair // a many2one's [id, name]
	xmlList // any other []any
	xmlTrue
	xmlFalse
	xmlKinds
)

// What comes before a member: the start of the record, or the closing of
// the previous member's value, by its kind (a boolean's member is whole).
const (
	xmlAfterStart = xmlKinds // the record's "<value><struct>\n"
	xmlAfters     = xmlKinds + 1
)

// xmlOpenings are the texts between a member's name and its value, by kind.
var xmlOpenings = [xmlKinds]string{
	xmlOther:  "</name>\n",
	xmlString: "</name>\n<value><string>",
	xmlInt:    "</name>\n<value><int>",
	xmlDouble: "</name>\n<value><double>",
	xmlPair:   "</name>\n<value><array><data>\n<value><int>",
	xmlList:   "</name>\n<value><array><data>\n",
	xmlTrue:   "</name>\n<value><boolean>1</boolean></value>\n</member>\n",
	xmlFalse:  "</name>\n<value><boolean>0</boolean></value>\n</member>\n",
}

// xmlClosings are the texts after a value, by kind, and the record's start.
var xmlClosings = [xmlAfters]string{
	xmlOther:      "</member>\n",
	xmlString:     "</string></value>\n</member>\n",
	xmlInt:        "</int></value>\n</member>\n",
	xmlDouble:     "</double></value>\n</member>\n",
	xmlPair:       "</string></value>\n</data></array></value>\n</member>\n",
	xmlList:       "</data></array></value>\n</member>\n",
	xmlTrue:       "",
	xmlFalse:      "",
	xmlAfterStart: "<value><struct>\n",
}

// xmlTableTemplate holds the junctions of one set of names.
type xmlTableTemplate struct {
	names []string
	text  []byte
	// at[i][after][kind] is where the junction before member i starts in
	// text; it ends where the next one starts.
	at [][xmlAfters][xmlKinds + 1]int32
	// ends[after] is the record's end after its last member: a closing and
	// "</struct></value>\n".
	ends [xmlAfters]string
}

func newXMLTableTemplate(names []string) *xmlTableTemplate {
	t := &xmlTableTemplate{names: slices.Clone(names), at: make([][xmlAfters][xmlKinds + 1]int32, len(names))}
	for i, name := range names {
		for after := range xmlAfters {
			for kind := range xmlKinds {
				t.at[i][after][kind] = int32(len(t.text))
				t.text = append(t.text, xmlClosings[after]...)
				t.text = append(t.text, "<member>\n<name>"...)
				t.text = xmlAppendEscaped(t.text, name)
				t.text = append(t.text, xmlOpenings[kind]...)
			}
			t.at[i][after][xmlKinds] = int32(len(t.text))
		}
	}
	for after := range xmlAfters {
		t.ends[after] = xmlClosings[after] + "</struct></value>\n"
	}
	return t
}

// junction appends what comes between the value before member i (of kind
// after) and member i's value (of kind kind).
func (t *xmlTableTemplate) junction(b []byte, i, after, kind int) []byte {
	a := &t.at[i][after]
	return append(b, t.text[a[kind]:a[kind+1]]...)
}

// xmlTableTemplates shares the templates of the sets of names seen, by a
// hash of the names. A template of n names holds about 5 KB per name, so
// the cache is emptied when its texts pass xmlMaxTableTemplateBytes: clients
// asking for ever new field lists cannot make it grow without bound.
var xmlTableTemplates struct {
	mu    sync.RWMutex
	m     map[uint64]*xmlTableTemplate
	bytes int
}

const xmlMaxTableTemplateBytes = 8 << 20

func xmlTableTemplateOf(names []string) *xmlTableTemplate {
	h := uint64(14695981039346656037) // FNV-1a
	for _, n := range names {
		for i := 0; i < len(n); i++ {
			h = (h ^ uint64(n[i])) * 1099511628211
		}
		h = (h ^ 0xff) * 1099511628211 // a byte no name has, between names
	}
	xmlTableTemplates.mu.RLock()
	t := xmlTableTemplates.m[h]
	xmlTableTemplates.mu.RUnlock()
	if t != nil && slices.Equal(t.names, names) {
		return t
	}
	t = newXMLTableTemplate(names)
	xmlTableTemplates.mu.Lock()
	if xmlTableTemplates.m == nil || xmlTableTemplates.bytes+len(t.text) > xmlMaxTableTemplateBytes {
		xmlTableTemplates.m, xmlTableTemplates.bytes = make(map[uint64]*xmlTableTemplate), 0
	}
	xmlTableTemplates.m[h] = t
	xmlTableTemplates.bytes += len(t.text)
	xmlTableTemplates.mu.Unlock()
	return t
}

// tableRows writes the records of x, which has rows and names, as structs
// at depth.
func (e *xmlEncoder) tableRows(b []byte, x *models.Table, depth int) ([]byte, error) {
	t := xmlTableTemplateOf(x.Names)
	var err error
	for i := range x.Len() {
		after := xmlAfterStart
		for j, v := range x.Row(i) {
			switch v := v.(type) {
			case string:
				b = t.junction(b, j, after, xmlString)
				if e.Long(v) {
					if b, err = e.Pieces(b, v, xmlAppendEscaped); err != nil {
						return b, err
					}
				} else {
					b = xmlAppendEscaped(b, v)
				}
				after = xmlString
				continue
			case bool:
				if v {
					b = t.junction(b, j, after, xmlTrue)
					after = xmlTrue
				} else {
					b = t.junction(b, j, after, xmlFalse)
					after = xmlFalse
				}
				continue
			case int64:
				if v >= math.MinInt32 && v <= math.MaxInt32 {
					b = t.junction(b, j, after, xmlInt)
					b = strconv.AppendInt(b, v, 10)
					after = xmlInt
					continue
				}
			case float64:
				b = t.junction(b, j, after, xmlDouble)
				b = wire.AppendPyFloat(b, v, 64)
				after = xmlDouble
				continue
			case []any:
				if depth+1 < xmlMaxEncodeDepth {
					if len(v) == 2 {
						id, ok1 := v[0].(int64)
						name, ok2 := v[1].(string)
						if ok1 && ok2 && id >= math.MinInt32 && id <= math.MaxInt32 {
							b = t.junction(b, j, after, xmlPair)
							b = strconv.AppendInt(b, id, 10)
							b = append(b, "</int></value>\n<value><string>"...)
							b = xmlAppendEscaped(b, name)
							after = xmlPair
							continue
						}
					}
					b = t.junction(b, j, after, xmlList)
					if b, err = e.items(b, v, depth+1); err != nil {
						return b, err
					}
					after = xmlList
					continue
				}
			}
			b = t.junction(b, j, after, xmlOther)
			if b, err = e.value(b, v, depth+1); err != nil {
				return b, err
			}
			after = xmlOther
		}
		b = append(b, t.ends[after]...)
		if b, err = e.Flush(b); err != nil {
			return b, err
		}
	}
	return b, nil
}
