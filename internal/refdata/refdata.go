// Package refdata holds the reference data the portal ships with: the 92
// Comuni of Umbria (ISTAT list, with Belfiore codes and CAP) and their Zona
// sociale. The CSV files are copies of the project's gathered data (see
// README.md in this folder for sources and caveats) embedded in the binary.
package refdata

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/udc-umbria/portal/internal/slug"
)

//go:embed comuni-umbria.csv
var comuniCSV []byte

// Comune is one row of the ISTAT list.
type Comune struct {
	ISTAT    string
	Name     string
	Slug     string
	Province string
	Belfiore string
	CAP      string
	// Zona is the Zona sociale number, 0 when no source confirms it.
	Zona int
}

// Zona is a Zona sociale of Umbria.
type Zona struct {
	ID       int
	Name     string
	Capofila string
}

// Zones lists the twelve Zone sociali with the capofila Comune where a
// source names it (empty otherwise: not confirmed).
func Zones() []Zona {
	capofila := map[int]string{1: "Città di Castello", 2: "Perugia", 3: "Assisi", 4: "Marsciano",
		7: "Gubbio", 8: "Foligno", 9: "Spoleto", 10: "Terni", 11: "Narni"}
	z := make([]Zona, 0, 12)
	for i := 1; i <= 12; i++ {
		z = append(z, Zona{ID: i, Name: "Zona sociale " + strconv.Itoa(i), Capofila: capofila[i]})
	}
	return z
}

// Comuni parses the embedded list.
func Comuni() ([]Comune, error) { return ParseComuni(bytes.NewReader(comuniCSV)) }

// ParseComuni reads a CSV with header istat,name,province,belfiore,cap,zona_sociale.
func ParseComuni(r io.Reader) ([]Comune, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 6
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("refdata: %w", err)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "istat,name,province,belfiore,cap,zona_sociale" {
		return nil, fmt.Errorf("refdata: unexpected header")
	}
	out := make([]Comune, 0, len(rows)-1)
	for i, row := range rows[1:] {
		c := Comune{ISTAT: row[0], Name: row[1], Slug: slug.Make(row[1]), Province: row[2], Belfiore: row[3], CAP: row[4]}
		if row[5] != "" {
			z, err := strconv.Atoi(row[5])
			if err != nil || z < 1 || z > 12 {
				return nil, fmt.Errorf("refdata: line %d: bad zona_sociale %q", i+2, row[5])
			}
			c.Zona = z
		}
		if len(c.ISTAT) != 6 || len(c.Belfiore) != 4 {
			return nil, fmt.Errorf("refdata: line %d: bad codes", i+2)
		}
		out = append(out, c)
	}
	return out, nil
}
