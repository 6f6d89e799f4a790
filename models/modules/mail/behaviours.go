// Package mail is the Go behaviour of Odoo's mail module, one file per
// model: the chatter of every model that inherits mail.thread (a record's
// creation message and its creator as follower, message_post, the
// followers and attachments it shows).
package mail

import "github.com/godoo/godoo/models"

// Behaviours are the module's behaviours by model, each made for the
// model it is laid over; mail.thread's is laid over every model that
// inherits it.
var Behaviours = map[string]func(model string) *models.Behaviour{
	"mail.thread":  threadBehaviour,
	"mail.message": messageBehaviour,
	"mail.mail":    mailBehaviour,
	"res.users":    usersBehaviour,
	"res.partner":  partnerBehaviour,
}
