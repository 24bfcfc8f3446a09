package awstest

import (
	"strings"
	"testing"
)

func TestRedactSecrets(t *testing.T) {
	screen := strings.Join([]string{
		"Add it in your app by hand:",
		"XJM6 7PH5 QN6T 3IFX WTWB GXJN JMOE UMR5 EILF YR7S Q44J K2PK 253P UAOJ UEST 3KLO",
		"Password           Xy7!abcdEFGH-ijkl",
		"Secret access key  wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"█ ▄▄▄▄▄ ██▄██ ▄▄█▄▄█▄▄▀ ▄▄█ █▄█",
		"secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=x",
		"User name          alice",
	}, "\n")
	got := RedactSecrets(screen)
	for _, secret := range []string{"XJM6", "Xy7!abcdEFGH", "wJalrXUtnFEMI", "▄▄▄▄▄ ██", "JBSWY3DP"} {
		if strings.Contains(got, secret) {
			t.Errorf("%q survived redaction:\n%s", secret, got)
		}
	}
	for _, kept := range []string{"Add it in your app by hand:", "Password           [redacted]", "User name          alice"} {
		if !strings.Contains(got, kept) {
			t.Errorf("%q was lost:\n%s", kept, got)
		}
	}
}
