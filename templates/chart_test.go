package templates

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestNiceStep(t *testing.T) {
	for top, want := range map[float64]float64{0: 1, 3: 1, 5: 1, 7: 2, 12: 5, 40: 10, 230: 50, 1000: 200, 2.4: 0.5} {
		if got := niceStep(top); got != want {
			t.Errorf("niceStep(%v) = %v, want %v", top, got, want)
		}
	}
}

func TestChartLayout_StackedBarsPileUpToTheirTotal(t *testing.T) {
	c := Chart{Categories: []string{"2/3", "9/3"}, Stacked: true, Series: []ChartSeries{
		{Name: "Svolti", Colour: ColourDone, Values: []float64{4, 0}},
		{Name: "Assenti", Colour: ColourNoShow, Values: []float64{6, 2}},
	}}
	l := c.Layout()
	if len(l.Bars) != 3 {
		t.Fatalf("bars %+v", l.Bars)
	}
	// The first category: 4 then 6 on top, touching, reaching the top of
	// the scale (10, a multiple of the step 2).
	a, b := l.Bars[0], l.Bars[1]
	if a.Y+a.H != l.AxisY1 || b.Y+b.H != a.Y {
		t.Fatalf("not stacked: %+v %+v (axis %v)", a, b, l.AxisY1)
	}
	if top := l.Ticks[len(l.Ticks)-1]; b.Y != top.Y1 || top.Text != "10" {
		t.Fatalf("the pile ends at %v, the top tick %+v", b.Y, top)
	}
	if !strings.Contains(a.Tip, "2/3 – Svolti: 4") {
		t.Fatalf("tip %q", a.Tip)
	}
	if len(l.Labels) != 2 {
		t.Fatalf("labels %+v", l.Labels)
	}
}

func TestChartLayout_SideBySideAndHorizontal(t *testing.T) {
	c := Chart{Categories: []string{"a"}, Series: []ChartSeries{{Name: "x", Values: []float64{2}}, {Name: "y", Values: []float64{4.5}}}}
	l := c.Layout()
	if len(l.Bars) != 2 || l.Bars[0].X+l.Bars[0].W != l.Bars[1].X || l.Bars[0].Y+l.Bars[0].H != l.Bars[1].Y+l.Bars[1].H {
		t.Fatalf("bars %+v", l.Bars)
	}
	h := Chart{Horizontal: true, Max: 5, Categories: []string{"/comuni", "/uffici/norcia"},
		Series: []ChartSeries{{Name: "Media", Values: []float64{5, 2.5}}}}
	hl := h.Layout()
	if len(hl.Bars) != 2 || hl.Bars[0].W != 2*hl.Bars[1].W || hl.Labels[1].Text != "/uffici/norcia" {
		t.Fatalf("horizontal %+v", hl)
	}
}

func TestChartLayout_ManyWeeks_LabelsThinnedOut(t *testing.T) {
	var cats []string
	var vals []float64
	for i := range 53 {
		cats = append(cats, "w")
		vals = append(vals, float64(i))
	}
	l := Chart{Categories: cats, Series: []ChartSeries{{Values: vals}}}.Layout()
	if len(l.Labels) > 14 || len(l.Bars) != 52 {
		t.Fatalf("%d labels, %d bars", len(l.Labels), len(l.Bars))
	}
}

func TestStatsChart_ImageWithTitleDescAndNoStyleAttribute(t *testing.T) {
	c := Chart{ID: "g", Title: "Titolo", Desc: "Descrizione", Categories: []string{"2/3"}, Stacked: true,
		Series: []ChartSeries{{Name: "Svolti", Colour: ColourDone, Values: []float64{3}}, {Name: "Assenti", Colour: ColourNoShow, Values: []float64{1}}}}
	var b bytes.Buffer
	if err := StatsChart(c).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{`role="img"`, `aria-labelledby="g-title g-desc"`, `<title id="g-title">Titolo</title>`,
		`<desc id="g-desc">Descrizione</desc>`, `fill="#00703c"`, "Assenti"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "style=") {
		t.Error("a style attribute, which the CSP refuses")
	}
	b.Reset()
	if err := StatsChart(Chart{Categories: []string{"2/3"}, Series: []ChartSeries{{Values: []float64{0}}}}).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<svg") || !strings.Contains(b.String(), "Nessun dato") {
		t.Errorf("empty chart: %s", b.String())
	}
}

func TestFormatNumber(t *testing.T) {
	for v, want := range map[float64]string{3: "3", 4.5: "4,5", 10.0 / 3: "3,33", 0: "0"} {
		if got := FormatNumber(v); got != want {
			t.Errorf("FormatNumber(%v) = %q, want %q", v, got, want)
		}
	}
}
