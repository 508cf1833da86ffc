package templates

import (
	"math"
	"strconv"
	"strings"
)

// Charts of the statistics page are inline SVG drawn on the server: they
// need no JavaScript, no style attribute (colours are SVG presentation
// attributes, which the CSP allows) and no third party. Each is an image
// with a title and a description for screen readers, and its figures are
// always in the table that follows it: the chart is a view of the table,
// never the only copy of a number.

// Chart is a bar chart: vertical bars over categories (weeks), stacked or
// side by side, or one horizontal bar per category (pages).
type Chart struct {
	// ID prefixes the ids of the title and description.
	ID string
	// Title names the chart; Desc sums it up in words (the largest value,
	// where the figures are).
	Title, Desc string
	// Categories label the bars (weeks, pages).
	Categories []string
	Series     []ChartSeries
	// Stacked piles the series of a category on one bar; otherwise they
	// stand side by side.
	Stacked bool
	// Horizontal draws one horizontal bar per category (one series).
	Horizontal bool
	// Max fixes the top of the scale (5 for stars); 0 takes the data's.
	Max float64
	// Unit follows the values in the bars' tooltips ("appuntamenti").
	Unit string
}

// ChartSeries is one quantity of a chart, with its colour.
type ChartSeries struct {
	Name   string
	Colour string
	Values []float64
}

// Colours of the charts: each has a contrast of at least 4.5:1 on white
// (WCAG 1.4.11 asks 3:1 of graphics), and stacked segments are separated
// by a white line.
const (
	ColourDone      = "#00703c"
	ColourNoShow    = "#995c00"
	ColourCitizen   = "#5c6f82"
	ColourOffice    = "#b21e35"
	ColourDeclined  = "#6f2c91"
	ColourRequested = "#0066cc"
	ColourConfirmed = "#17324d"
	ColourMedian    = "#0066cc"
	ColourP90       = "#995c00"
	ColourStars     = "#0066cc"
)

// Geometry of the drawing, in SVG units.
const (
	chartWidth   = 720
	chartHeight  = 280
	chartLeft    = 48
	chartRight   = 12
	chartTop     = 12
	chartBottom  = 40
	hChartRow    = 26
	hChartLabelW = 260
)

// ChartLayout is a Chart measured out for drawing.
type ChartLayout struct {
	Width, Height int
	// Bars are the rectangles; Ticks the value gridlines; Labels the
	// category labels.
	Bars   []ChartBar
	Ticks  []ChartTick
	Labels []ChartLabel
	// Axis is the baseline.
	AxisX1, AxisY1, AxisX2, AxisY2 float64
}

// ChartBar is one rectangle, with its tooltip.
type ChartBar struct {
	X, Y, W, H float64
	Colour     string
	Tip        string
}

// ChartTick is a gridline with its value.
type ChartTick struct {
	X1, Y1, X2, Y2 float64
	TextX, TextY   float64
	Text           string
	// Anchor is the text-anchor of the value.
	Anchor string
}

// ChartLabel is the label of a category.
type ChartLabel struct {
	X, Y   float64
	Text   string
	Anchor string
}

// Empty reports whether the chart has nothing to draw.
func (c Chart) Empty() bool {
	for _, s := range c.Series {
		for _, v := range s.Values {
			if v > 0 {
				return false
			}
		}
	}
	return true
}

// top is the largest value the scale must reach.
func (c Chart) top() float64 {
	if c.Max > 0 {
		return c.Max
	}
	m := 0.0
	for i := range c.Categories {
		sum := 0.0
		for _, s := range c.Series {
			v := value(s, i)
			if c.Stacked {
				sum += v
			} else {
				sum = math.Max(sum, v)
			}
		}
		m = math.Max(m, sum)
	}
	return m
}

func value(s ChartSeries, i int) float64 {
	if i < len(s.Values) && s.Values[i] > 0 {
		return s.Values[i]
	}
	return 0
}

// niceStep returns a round step (1, 2 or 5 × 10ⁿ) that divides top into
// at most about five gridlines.
func niceStep(top float64) float64 {
	if top <= 0 {
		return 1
	}
	raw := top / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*mag {
			return math.Max(m*mag, 0.5)
		}
	}
	return 10 * mag
}

// Layout measures the chart out.
func (c Chart) Layout() ChartLayout {
	if c.Horizontal {
		return c.horizontal()
	}
	l := ChartLayout{Width: chartWidth, Height: chartHeight}
	plotW := float64(chartWidth - chartLeft - chartRight)
	plotH := float64(chartHeight - chartTop - chartBottom)
	base := float64(chartTop) + plotH
	step := niceStep(c.top())
	top := math.Max(math.Ceil(c.top()/step)*step, step)
	scale := plotH / top
	for v := 0.0; v <= top+step/2; v += step {
		y := base - v*scale
		l.Ticks = append(l.Ticks, ChartTick{X1: chartLeft, Y1: y, X2: chartLeft + plotW, Y2: y, TextX: chartLeft - 6, TextY: y + 4,
			Text: formatNumber(v), Anchor: "end"})
	}
	l.AxisX1, l.AxisY1, l.AxisX2, l.AxisY2 = chartLeft, base, chartLeft+plotW, base
	n := len(c.Categories)
	if n == 0 {
		return l
	}
	slot := plotW / float64(n)
	barW := slot * 0.7
	// Label at most about 12 categories, evenly.
	every := max(1, int(math.Ceil(float64(n)/12)))
	for i, cat := range c.Categories {
		x0 := chartLeft + float64(i)*slot + (slot-barW)/2
		if i%every == 0 {
			l.Labels = append(l.Labels, ChartLabel{X: x0 + barW/2, Y: base + 18, Text: cat, Anchor: "middle"})
		}
		y := base
		for j, s := range c.Series {
			v := value(s, i)
			if v == 0 {
				continue
			}
			h := v * scale
			tip := cat + " – " + s.Name + ": " + formatNumber(v)
			if c.Unit != "" {
				tip += " " + c.Unit
			}
			if c.Stacked {
				y -= h
				l.Bars = append(l.Bars, ChartBar{X: x0, Y: y, W: barW, H: h, Colour: s.Colour, Tip: tip})
				continue
			}
			w := barW / float64(len(c.Series))
			l.Bars = append(l.Bars, ChartBar{X: x0 + float64(j)*w, Y: base - h, W: w, H: h, Colour: s.Colour, Tip: tip})
		}
	}
	return l
}

// horizontal lays out one bar per category, the labels on the left.
func (c Chart) horizontal() ChartLayout {
	n := len(c.Categories)
	height := chartTop + n*hChartRow + chartBottom
	l := ChartLayout{Width: chartWidth, Height: height}
	plotW := float64(chartWidth - hChartLabelW - chartRight)
	left := float64(hChartLabelW)
	bottom := float64(chartTop + n*hChartRow)
	step := niceStep(c.top())
	top := math.Max(math.Ceil(c.top()/step)*step, step)
	scale := plotW / top
	for v := 0.0; v <= top+step/2; v += step {
		x := left + v*scale
		l.Ticks = append(l.Ticks, ChartTick{X1: x, Y1: chartTop, X2: x, Y2: bottom, TextX: x, TextY: bottom + 18,
			Text: formatNumber(v), Anchor: "middle"})
	}
	l.AxisX1, l.AxisY1, l.AxisX2, l.AxisY2 = left, chartTop, left, bottom
	if len(c.Series) == 0 {
		return l
	}
	s := c.Series[0]
	for i, cat := range c.Categories {
		y := float64(chartTop + i*hChartRow)
		l.Labels = append(l.Labels, ChartLabel{X: left - 8, Y: y + hChartRow/2 + 4, Text: shorten(cat, 38), Anchor: "end"})
		v := value(s, i)
		if v == 0 {
			continue
		}
		tip := cat + " – " + s.Name + ": " + formatNumber(v)
		if c.Unit != "" {
			tip += " " + c.Unit
		}
		l.Bars = append(l.Bars, ChartBar{X: left, Y: y + 4, W: v * scale, H: hChartRow - 8, Colour: s.Colour, Tip: tip})
	}
	return l
}

// shorten cuts s to n characters with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// formatNumber writes v the Italian way: "12", "4,5", "3,33".
func formatNumber(v float64) string {
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	return strings.Replace(s, ".", ",", 1)
}

// FormatNumber is formatNumber for the handlers (tables, CSV).
func FormatNumber(v float64) string { return formatNumber(v) }

// coord writes an SVG coordinate with at most one decimal.
func coord(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
