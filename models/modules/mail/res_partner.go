package mail

import (
	"context"
	"regexp"
	"strings"
	"unicode"

	"github.com/godoo/godoo/models"
)

// partnerBehaviour is what mail adds to res.partner beside the chatter:
// contact_address_inline, the address on one line.
func partnerBehaviour(string) *models.Behaviour {
	return &models.Behaviour{Computes: map[string]func(context.Context, *models.Env, []models.Record) error{
		"contact_address_inline": computeAddressInline,
	}}
}

// computeAddressInline is contact_address_inline: contact_address (the
// address as the partner's country writes it, which base computes) on
// one line, read as the superuser for the records the caller is reading.
func computeAddressInline(ctx context.Context, env *models.Env, recs []models.Record) error {
	ids := make([]int64, len(recs))
	for i, r := range recs {
		ids[i] = r["id"].(int64)
	}
	addrs, err := env.Sudo().Read(ctx, env.Registry.Model("res.partner"), ids, []string{"contact_address"}, false)
	if err != nil {
		return err
	}
	byID := make(map[int64]string, len(addrs))
	for _, a := range addrs {
		s, _ := a["contact_address"].(string)
		byID[a["id"].(int64)] = s
	}
	for _, r := range recs {
		r["contact_address_inline"] = inlineAddress(byID[r["id"].(int64)])
	}
	return nil
}

// lineBreaks are a line break and the blank that follows it, which
// Odoo's inline address replaces with ", ".
var lineBreaks = regexp.MustCompile(`\n[\s\v\p{Z}\x{85}\x{1c}-\x{1f}]*`)

// inlineAddress is Odoo's inline address: each line break, with the
// blank after it, as ", ", then blanks and commas trimmed from both ends
// in that order (Python's strip().strip(','), which leaves the blank
// after a leading comma).
func inlineAddress(address string) string {
	s := lineBreaks.ReplaceAllString(address, ", ")
	s = strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f })
	return strings.Trim(s, ",")
}
