//! The server's side of TLS: its certificate, and the handshake for STARTTLS and the
//! implicit-TLS submission listener (the stream itself is `common/tls.rs`).

use std::io;
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject as _};
use wasmtp_wasi::net::TcpStream;

use wasmtp_wasi::tls::{Stream, provider};

/// The certificate chain and key from PEM files.
pub fn server_config(certificate_pem: &[u8], key_pem: &[u8]) -> Result<Arc<ServerConfig>, String> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(certificate_pem)
        .collect::<Result<_, _>>()
        .map_err(|error| format!("certificate: {error}"))?;
    if chain.is_empty() {
        return Err("certificate: no CERTIFICATE block in the file".to_owned());
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(|error| format!("key: {error}"))?;
    let config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|error| error.to_string())?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|error| format!("certificate and key: {error}"))?;
    Ok(Arc::new(config))
}

/// Runs the server side of a handshake on `tcp`.
pub async fn accept(tcp: &TcpStream, config: Arc<ServerConfig>) -> io::Result<Stream<&TcpStream>> {
    let connection = rustls::ServerConnection::new(config).map_err(io::Error::other)?;
    Stream::handshake(tcp, connection.into()).await
}
