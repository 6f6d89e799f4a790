package models

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	// GIF images are read too; they are written back as PNG.
	_ "image/gif"
	"image/jpeg"
	"image/png"
)

// maxImagePixels is Odoo's bound on an image's resolution (50 million
// pixels): a larger one is refused before it is decoded.
const maxImagePixels = 50e6

// fitImage checks that the base64 text s holds an image and, when it is
// larger than maxW by maxH (0 for no bound), scales it down to fit, keeping
// its proportions, as Odoo's Image field does when it is written. An image
// that fits is kept byte for byte. PNG and GIF images are written back as
// PNG, JPEG as JPEG.
func fitImage(s string, maxW, maxH int) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", err
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		return "", UserErrorf("This file could not be decoded as an image file.")
	}
	if float64(cfg.Width)*float64(cfg.Height) > maxImagePixels {
		return "", UserErrorf("Too large image (above %.1f Mpixels, reduce the image size).", maxImagePixels/1e6)
	}
	w, h := fitSize(cfg.Width, cfg.Height, maxW, maxH)
	if w == cfg.Width && h == cfg.Height {
		return s, nil
	}
	src, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		return "", UserErrorf("This file could not be decoded as an image file.")
	}
	dst := scaleDown(src, w, h)
	var out bytes.Buffer
	if format == "jpeg" {
		err = jpeg.Encode(&out, dst, &jpeg.Options{Quality: 95})
	} else {
		err = png.Encode(&out, dst)
	}
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(out.Bytes()), nil
}

// fitSize is the size of a w by h image scaled down, proportions kept, to
// fit maxW by maxH (as PIL's thumbnail); the same size when it fits.
func fitSize(w, h, maxW, maxH int) (int, int) {
	if maxW <= 0 {
		maxW = w
	}
	if maxH <= 0 {
		maxH = h
	}
	if w <= maxW && h <= maxH {
		return w, h
	}
	nw, nh := maxW, h*maxW/w
	if nh > maxH {
		nw, nh = w*maxH/h, maxH
	}
	return max(nw, 1), max(nh, 1)
}

// scaleDown resizes src to w by h by averaging the source pixels each
// destination pixel covers (a box filter), which is what a reduction needs
// to stay free of aliasing.
func scaleDown(src image.Image, w, h int) *image.NRGBA {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		y0, y1 := b.Min.Y+y*sh/h, b.Min.Y+(y+1)*sh/h
		if y1 == y0 {
			y1 = y0 + 1
		}
		for x := 0; x < w; x++ {
			x0, x1 := b.Min.X+x*sw/w, b.Min.X+(x+1)*sw/w
			if x1 == x0 {
				x1 = x0 + 1
			}
			var r, g, bl, a, n uint64
			for sy := y0; sy < y1; sy++ {
				for sx := x0; sx < x1; sx++ {
					c := color.NRGBA64Model.Convert(src.At(sx, sy)).(color.NRGBA64)
					r += uint64(c.R)
					g += uint64(c.G)
					bl += uint64(c.B)
					a += uint64(c.A)
					n++
				}
			}
			dst.SetNRGBA(x, y, color.NRGBA{R: uint8(r / n >> 8), G: uint8(g / n >> 8), B: uint8(bl / n >> 8), A: uint8(a / n >> 8)})
		}
	}
	return dst
}
