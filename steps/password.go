package steps

import (
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/awssecure/awssecure/awsops"
)

// Characters of generated passwords: no look-alikes (0/O, 1/l/I), and only
// symbols IAM counts as symbols.
const (
	upperChars  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	lowerChars  = "abcdefghijkmnopqrstuvwxyz"
	digitChars  = "23456789"
	symbolChars = "!@#$%^&*()_+-=[]{}|"
)

// GeneratePassword makes a random password that satisfies policy (nil:
// IAM's default), with every character kind, at least 20 characters.
func GeneratePassword(policy *awsops.PasswordPolicy) (awsops.Secret, error) {
	length := 20
	if policy != nil && policy.MinimumLength > length {
		length = policy.MinimumLength
	}
	all := upperChars + lowerChars + digitChars + symbolChars
	for range 100 {
		b := make([]byte, length)
		for i := range b {
			set := all
			if i < 4 { // one of each kind first, then shuffled below
				set = []string{upperChars, lowerChars, digitChars, symbolChars}[i]
			}
			n, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
			if err != nil {
				return awsops.Secret{}, fmt.Errorf("generate password: %w", err)
			}
			b[i] = set[n.Int64()]
		}
		for i := len(b) - 1; i > 0; i-- {
			j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
			if err != nil {
				return awsops.Secret{}, fmt.Errorf("generate password: %w", err)
			}
			b[i], b[j.Int64()] = b[j.Int64()], b[i]
		}
		if err := avoidFormulaStart(b); err != nil {
			return awsops.Secret{}, fmt.Errorf("generate password: %w", err)
		}
		pw := awsops.NewSecret(string(b))
		if awsops.PasswordSatisfies(pw, policy) == nil {
			return pw, nil
		}
	}
	return awsops.Secret{}, errors.New("generate password: could not satisfy the password policy")
}

// formulaStart are the first characters that make a spreadsheet run a
// cell as a formula: a password starting with one, opened from the CSV,
// is a formula (or an injection) instead of the password.
const formulaStart = "=+-@"

// avoidFormulaStart swaps a first character of formulaStart with one, at
// a random place, that is not: the password keeps its characters.
func avoidFormulaStart(b []byte) error {
	if len(b) == 0 || !strings.ContainsRune(formulaStart, rune(b[0])) {
		return nil
	}
	var safe []int
	for i, c := range b {
		if !strings.ContainsRune(formulaStart, rune(c)) {
			safe = append(safe, i)
		}
	}
	if len(safe) == 0 {
		return errors.New("no character may start it")
	}
	n, err := rand.Int(rand.Reader, big.NewInt(int64(len(safe))))
	if err != nil {
		return err
	}
	j := safe[n.Int64()]
	b[0], b[j] = b[j], b[0]
	return nil
}
