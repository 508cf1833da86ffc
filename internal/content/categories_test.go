package content

import "testing"

func TestCategorySlug_EveryCategoryHasItsOwnPage(t *testing.T) {
	if got := CategorySlug("Salute, benessere e assistenza"); got != "salute-benessere-e-assistenza" {
		t.Errorf("slug %q", got)
	}
	seen := map[string]bool{}
	for _, c := range Categories() {
		s := CategorySlug(c)
		if seen[s] {
			t.Errorf("two categories share the slug %q", s)
		}
		seen[s] = true
		if back, ok := CategoryBySlug(s); !ok || back != c {
			t.Errorf("CategoryBySlug(%q) = %q %v, want %q", s, back, ok, c)
		}
	}
	if _, ok := CategoryBySlug("salute"); ok {
		t.Error("a partial slug names no category")
	}
}
