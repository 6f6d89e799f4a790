package mail

import (
	"context"
	"fmt"

	"github.com/godoo/godoo/models"
)

// postAccess is the access a user needs to a record to post a message on
// it, by model, where it is not write (Odoo's _mail_post_access): anyone
// who reads a channel may write in it.
var postAccess = map[string]models.Op{
	"discuss.channel": models.OpRead,
}

// mailPostAccess is the access posting on model's records needs.
func mailPostAccess(model string) models.Op {
	if op, ok := postAccess[model]; ok {
		return op
	}
	return models.OpWrite
}

// checkPost is Odoo's check of the creation of msg, a message posted on
// model's record id in answer to parent (0 for none): the caller may post
// when they have the model's _mail_post_access to the record, when the
// parent was addressed to them, or when they follow the record. A reader
// who is no follower cannot comment; following first is what Odoo asks
// of them. The refusal is mail.message's AccessError, which names the
// message the call would have made (the transaction that made it is
// rolled back with the error).
func checkPost(ctx context.Context, env *models.Env, model string, id, parent, msg int64) error {
	if env.IsSuperuser() {
		return nil
	}
	ok, err := env.Permitted(ctx, env.Registry.Model(model), []int64{id}, mailPostAccess(model))
	if err != nil || len(ok) == 1 {
		return err
	}
	me, err := userPartner(ctx, env)
	if err != nil {
		return err
	}
	var one int64
	if parent != 0 {
		found, err := env.Scalar(ctx, &one, "SELECT 1 FROM mail_message_res_partner_rel WHERE mail_message_id = ? AND res_partner_id = ?", parent, me)
		if err != nil || found {
			return err
		}
	}
	found, err := env.Scalar(ctx, &one, "SELECT 1 FROM mail_followers WHERE res_model = ? AND res_id = ? AND partner_id = ?", model, id, me)
	if err != nil || found {
		return err
	}
	return &models.Error{Kind: models.KindAccess, Message: fmt.Sprintf("The requested operation cannot be completed due to security restrictions. "+
		"Please contact your system administrator.\n\n(Document type: %s, Operation: create)\n\nRecords: [%d], User: %d",
		env.Registry.Model("mail.message").Description, msg, env.UID)}
}
