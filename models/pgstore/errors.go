package pgstore

import (
	"errors"

	"github.com/lib/pq"

	"github.com/godoo/godoo/models"
)

// Classify translates a lib/pq error by its SQLSTATE. Constraint violations
// (23505, 23503, 23502, 23514) become a KindValidation *models.Error whose
// chain holds a *models.ConstraintError with the table, column and constraint
// the server reported; serialization failures, deadlocks and unavailable locks
// (40001, 40P01, 55P03, Odoo's PG_CONCURRENCY_ERRORS_TO_RETRY) become
// KindRetryable. Nil, errors that are already classified and every other error
// are returned unchanged.
func (s *Store) Classify(err error) error { return Classify(err) }

// Classify is Store.Classify without a store.
func Classify(err error) error {
	var pe *pq.Error
	if err == nil || models.AsError(err) != nil || !errors.As(err, &pe) {
		return err
	}
	var typ string
	switch pe.Code {
	case "23505": // unique_violation
		typ = models.ConstraintUnique
	case "23503": // foreign_key_violation
		typ = models.ConstraintForeignKey
	case "23502": // not_null_violation
		typ = models.ConstraintNotNull
	case "23514": // check_violation
		typ = models.ConstraintCheck
	case "40001", "40P01", "55P03": // serialization_failure, deadlock_detected, lock_not_available
		return models.Retryable(err)
	default:
		return err
	}
	ce := &models.ConstraintError{
		Type:       typ,
		Table:      pe.Table,
		Column:     pe.Column,
		Constraint: pe.Constraint,
		Err:        err,
	}
	return &models.Error{Kind: models.KindValidation, Message: ce.Detail(), Err: ce}
}
