//! What every portal page gets: the service layer and the operator's branding and embedding
//! settings (`HOOKD_PORTAL_*`), checked and made into headers and a stylesheet once, at start.

use std::sync::Arc;

use hookd_service::Ops;

/// What the portal's pages get: the service layer, and the operator's branding made once.
#[derive(Clone)]
pub struct PortalState {
    pub ops: Ops,
    pub portal: Arc<Branding>,
}

/// The operator's portal settings, and what is made of them at start.
pub struct Branding {
    pub config: PortalConfig,
    pub csp: String,
    pub theme_css: String,
    pub asset_version: String,
}

/// The operator's branding and embedding settings (`HOOKD_PORTAL_*`).
#[derive(Debug, Clone)]
pub struct PortalConfig {
    pub product_name: String,
    /// A URL of this server, or a `data:` URL: pages load nothing from other hosts.
    pub logo_url: Option<String>,
    /// `#rgb` or `#rrggbb`.
    pub accent: String,
    /// Origins allowed to frame the portal (`frame-ancestors`); none by default.
    pub frame_ancestors: Vec<String>,
    /// Cookies are `Secure` (the public URL is https).
    pub secure_cookies: bool,
}

impl Default for PortalConfig {
    fn default() -> Self {
        Self {
            product_name: "hookd".into(),
            logo_url: None,
            accent: "#0b57d0".into(),
            frame_ancestors: vec![],
            secure_cookies: false,
        }
    }
}

impl PortalConfig {
    /// Checks what the operator set, naming the variable to fix.
    pub fn check(&self) -> Result<(), String> {
        if super::theme::parse_hex(&self.accent).is_none() {
            return Err(format!("HOOKD_PORTAL_ACCENT `{}` must be a colour like #0b57d0 or #08c", self.accent));
        }
        // `//host/…` and `/\\host/…` are paths to browsers only in name: they load from that host.
        let on_this_server = |l: &str| l.starts_with('/') && !l.starts_with("//") && !l.starts_with("/\\");
        if let Some(logo) = &self.logo_url
            && !(on_this_server(logo) || logo.starts_with("data:image/"))
        {
            return Err("HOOKD_PORTAL_LOGO_URL must be a path on this server (/...) or a data:image/ URL: \
                 the portal loads nothing from other hosts"
                .into());
        }
        for o in &self.frame_ancestors {
            let ok = (o.starts_with("https://") || o.starts_with("http://"))
                && !o.contains([' ', ';', ',', '\'', '"'])
                && url::Url::parse(o).is_ok();
            if !ok {
                return Err(format!(
                    "HOOKD_PORTAL_FRAME_ANCESTORS: `{o}` is not an origin like https://app.example.com"
                ));
            }
        }
        Ok(())
    }

    /// The Content-Security-Policy of every portal response.
    pub fn csp(&self) -> String {
        let frames = if self.frame_ancestors.is_empty() { "'none'".to_owned() } else { self.frame_ancestors.join(" ") };
        format!(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; \
             form-action 'self'; base-uri 'none'; frame-ancestors {frames}"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_logo_is_a_path_on_this_server_or_a_data_url() {
        let with = |logo: &str| PortalConfig { logo_url: Some(logo.into()), ..PortalConfig::default() }.check();
        assert!(with("/static/logo.png").is_ok());
        assert!(with("data:image/png;base64,iVBORw0KGgo=").is_ok());
        for other_host in ["//other.host/logo.png", "/\\other.host/logo.png", "https://other.host/logo.png"] {
            assert!(with(other_host).is_err(), "{other_host}");
        }
    }
}
