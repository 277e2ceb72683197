//! The accent colour as CSS, with text and link colours that keep WCAG AA contrast on it and
//! on the page in both themes, whatever colour the operator picked.

/// `#rgb` or `#rrggbb` as red, green, blue.
pub(crate) fn parse_hex(text: &str) -> Option<(u8, u8, u8)> {
    let hex = text.strip_prefix('#')?;
    let digits: Vec<u8> = hex.chars().map(|c| c.to_digit(16).map(|d| d as u8)).collect::<Option<_>>()?;
    match digits[..] {
        [r, g, b] => Some((r * 17, g * 17, b * 17)),
        [r1, r2, g1, g2, b1, b2] => Some((r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2)),
        _ => None,
    }
}

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

fn mix(c: (u8, u8, u8), with: (u8, u8, u8), t: f64) -> (u8, u8, u8) {
    let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    (m(c.0, with.0), m(c.1, with.1), m(c.2, with.2))
}

/// The accent moved towards `toward` until it reads on `bg` (4.5:1).
fn readable(c: (u8, u8, u8), bg: (u8, u8, u8), toward: (u8, u8, u8)) -> (u8, u8, u8) {
    (0..=20).map(|i| mix(c, toward, f64::from(i) / 20.0)).find(|x| contrast(*x, bg) >= 4.5).unwrap_or(toward)
}

fn css((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The surfaces a link sits on that read worst with it: in the light theme a hovered row
/// (`--hover`, darker than the panel), in the dark theme also a hovered row (lighter than the
/// panel). portal.css's values.
const LIGHT_BG: (u8, u8, u8) = (0xf0, 0xf3, 0xf6);
const DARK_BG: (u8, u8, u8) = (0x1f, 0x25, 0x2e);
const BLACK: (u8, u8, u8) = (0, 0, 0);
const WHITE: (u8, u8, u8) = (0xff, 0xff, 0xff);

/// `theme.css`: the accent for buttons and marks, the text on it, and link colours for each
/// theme.
pub(crate) fn stylesheet(accent: &str) -> String {
    let a = parse_hex(accent).unwrap_or((0x0b, 0x57, 0xd0));
    // Buttons: the accent behind white or black text, whichever reads; darkened if neither does.
    let (button, text) = if contrast(a, WHITE) >= 4.5 {
        (a, WHITE)
    } else if contrast(a, BLACK) >= 4.5 {
        (a, BLACK)
    } else {
        (readable(a, WHITE, BLACK), WHITE)
    };
    let light_link = readable(a, LIGHT_BG, BLACK);
    let dark_link = readable(a, DARK_BG, WHITE);
    format!(
        ":root {{ --accent: {b}; --accent-text: {t}; --link: {ll}; }}\n\
         @media (prefers-color-scheme: dark) {{ :root:not([data-theme=\"light\"]) {{ --link: {dl}; }} }}\n\
         :root[data-theme=\"dark\"] {{ --link: {dl}; }}\n",
        b = css(button),
        t = css(text),
        ll = css(light_link),
        dl = css(dark_link),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_accent_keeps_aa_contrast() {
        assert_eq!(parse_hex("#08c"), Some((0, 0x88, 0xcc)));
        assert_eq!(parse_hex("#0b57d0"), Some((0x0b, 0x57, 0xd0)));
        assert!(parse_hex("red").is_none() && parse_hex("#12345").is_none());
        for accent in ["#ffff00", "#0b57d0", "#777777", "#000000", "#ffffff", "#e91e63"] {
            let css = stylesheet(accent);
            let get = |name: &str| {
                let at = css.find(name).unwrap() + name.len() + 2;
                parse_hex(&css[at..at + 7]).unwrap()
            };
            assert!(contrast(get("--accent"), get("--accent-text")) >= 4.5, "{accent}: {css}");
            assert!(contrast(get("--link"), LIGHT_BG) >= 4.5, "{accent}: {css}");
            let dark = css.rfind("--link").map(|at| parse_hex(&css[at + 8..at + 15]).unwrap()).unwrap();
            assert!(contrast(dark, DARK_BG) >= 4.5, "{accent}: {css}");
        }
    }
}
