package mail

import "github.com/godoo/godoo/models"

// postAccess is the access a user needs to a record to post a message on
// it, by model, where it is not write (Odoo's _mail_post_access): anyone
// who reads a channel may write in it. mail.message's rule of creation
// (messageCreateRule) asks it.
var postAccess = map[string]models.Op{
	"discuss.channel": models.OpRead,
}
