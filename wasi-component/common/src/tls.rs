//! TLS inside the component: rustls, with ring as its crypto provider, over a
//! `wasi:sockets` TCP stream. The server uses it for STARTTLS (RFC 3207) and implicit
//! TLS (RFC 8314); the relay queue and the edge's send endpoint for STARTTLS to the
//! next hop. rustls is sans-I/O: this module moves its records between the socket and
//! the connection, and hands the session plaintext.

use std::borrow::Borrow;
use std::io::{self, Read as _, Write as _};
use std::sync::Arc;

use crate::net::TcpStream;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime, pem::PemObject as _};
use rustls::{
    ClientConfig, ClientConnection, Connection, DigitallySignedStruct, RootCertStore,
    SignatureScheme,
};
use wasmtp_core::client::TlsPolicy;
use wasmtp_core::server::TlsSummary;
use wstd::io::{AsyncRead as _, AsyncWrite as _};

/// TLS records read from the network at a time (a record is at most 16 KiB + overhead).
const RECORD_READ: usize = 18 * 1024;

/// The crypto provider: ring. It builds for `wasm32-wasip2` with clang, is the provider
/// rustls has been tested with longest, and its portable constant-time C paths (X25519,
/// P-256, AES-GCM, ChaCha20) compile to wasm unchanged (README, "TLS and AUTH").
pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// How long a peer may take over its side of a TLS handshake.
pub const HANDSHAKE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// The `none`, `opportunistic` or `required` of configuration files and variables;
/// opportunistic when not given.
pub fn policy(text: Option<&str>) -> Result<TlsPolicy, String> {
    match text {
        None | Some("opportunistic") => Ok(TlsPolicy::Opportunistic),
        Some("none") => Ok(TlsPolicy::None),
        Some("required") => Ok(TlsPolicy::Required),
        Some(other) => Err(format!(
            "unknown value {other:?}; use \"none\", \"opportunistic\" or \"required\""
        )),
    }
}

/// The client side under `policy`. `required` checks the server's certificate and name
/// against the bundled web PKI roots (Mozilla's, from `webpki-roots`), or only the CAs
/// in `ca_pem` when given. `opportunistic` encrypts without checking (RFC 7435: most MX
/// hosts' certificates do not match their names, and refusing them would only push the
/// mail to plaintext); a failed handshake still fails the session.
pub fn client_config(
    policy: TlsPolicy,
    ca_pem: Option<&[u8]>,
) -> Result<Arc<ClientConfig>, String> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|error| error.to_string())?;
    if policy != TlsPolicy::Required {
        let verifier = Arc::new(Unauthenticated(provider));
        return Ok(Arc::new(
            builder
                .dangerous()
                .with_custom_certificate_verifier(verifier)
                .with_no_client_auth(),
        ));
    }
    let mut roots = RootCertStore::empty();
    match ca_pem {
        Some(pem) => {
            for certificate in CertificateDer::pem_slice_iter(pem) {
                let certificate = certificate.map_err(|error| format!("CA file: {error}"))?;
                roots
                    .add(certificate)
                    .map_err(|error| format!("CA file: {error}"))?;
            }
            if roots.is_empty() {
                return Err("CA file: no CERTIFICATE block in the file".to_owned());
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    Ok(Arc::new(
        builder.with_root_certificates(roots).with_no_client_auth(),
    ))
}

/// Opportunistic TLS: any certificate is taken, but the handshake's signatures are still
/// checked, so the session is encrypted to whoever holds the certificate's key.
#[derive(Debug)]
struct Unauthenticated(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for Unauthenticated {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            certificate,
            signature,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            certificate,
            signature,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// A connection's byte stream: plaintext, or TLS over the same socket. The socket is
/// borrowed (`&TcpStream`, a server's connection) or owned (`TcpStream`, a client
/// connection kept for later messages).
pub enum Stream<S: Borrow<TcpStream>> {
    Plain(S),
    Tls(Box<Tls<S>>),
    /// A TLS handshake on the socket failed; nothing more can be sent.
    Broken,
}

/// rustls' connection and the socket under it.
pub struct Tls<S> {
    tcp: S,
    connection: Connection,
    /// A read from the socket.
    buffer: Vec<u8>,
    /// Records read but not yet taken by rustls.
    unread: Vec<u8>,
}

// The socket has no `Debug`; what matters in a log is whether TLS is on, and its state.
impl<S: Borrow<TcpStream>> std::fmt::Debug for Stream<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Plain(_) => f.write_str("Plain"),
            Self::Tls(tls) => f.debug_tuple("Tls").field(tls).finish(),
            Self::Broken => f.write_str("Broken"),
        }
    }
}

impl<S> std::fmt::Debug for Tls<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls")
            .field("connection", &self.connection)
            .field("unread", &self.unread.len())
            .finish_non_exhaustive()
    }
}

impl<S: Borrow<TcpStream>> Stream<S> {
    /// Turns a plaintext stream into TLS: the client side of a handshake, checking the
    /// server's certificate against `server_name` (STARTTLS, RFC 3207 §4). A failed
    /// handshake leaves the stream [`Stream::Broken`].
    pub async fn start_tls(
        &mut self,
        config: Arc<ClientConfig>,
        server_name: &str,
    ) -> io::Result<()> {
        let Self::Plain(tcp) = std::mem::replace(self, Self::Broken) else {
            return Err(io::Error::other("TLS is already on, or broken"));
        };
        let name = ServerName::try_from(server_name.to_owned())
            .map_err(|error| io::Error::new(io::ErrorKind::InvalidInput, error))?;
        let connection = ClientConnection::new(config, name).map_err(io::Error::other)?;
        *self = Self::handshake(tcp, connection.into()).await?;
        Ok(())
    }

    /// Runs a handshake on `tcp`, client or server as `connection` is.
    pub async fn handshake(tcp: S, connection: Connection) -> io::Result<Self> {
        let mut tls = Box::new(Tls {
            tcp,
            connection,
            buffer: vec![0; RECORD_READ],
            unread: Vec::new(),
        });
        while tls.connection.is_handshaking() {
            tls.send_records().await?;
            if tls.connection.is_handshaking() && !tls.receive_records().await? {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the peer closed the connection during the TLS handshake",
                ));
            }
        }
        tls.send_records().await?;
        Ok(Self::Tls(tls))
    }

    /// What the handshake agreed on, in the names RFC 8314 §4.3 records (`TLSv1.3`, the
    /// IANA cipher suite name); `None` before TLS.
    pub fn summary(&self) -> Option<TlsSummary> {
        let Self::Tls(tls) = self else {
            return None;
        };
        let version = tls.connection.protocol_version()?.as_str()?;
        let suite = tls.connection.negotiated_cipher_suite()?.suite();
        // rustls writes TLS 1.3 suites as `TLS13_…`; the registry as `TLS_…`.
        let cipher_suite = suite.as_str()?.replacen("TLS13_", "TLS_", 1);
        Some(TlsSummary {
            version: version.replace('_', "."),
            cipher_suite,
        })
    }

    /// Reads what the peer sent; `Ok(0)` when it closed the connection.
    pub async fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::Plain(tcp) => {
                let mut tcp: &TcpStream = (*tcp).borrow();
                tcp.read(buffer).await
            }
            Self::Tls(tls) => tls.read(buffer).await,
            Self::Broken => Ok(0),
        }
    }

    pub async fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Self::Plain(tcp) => {
                let mut tcp: &TcpStream = (*tcp).borrow();
                tcp.write_all(bytes).await
            }
            Self::Tls(tls) => {
                tls.connection.writer().write_all(bytes)?;
                tls.send_records().await
            }
            Self::Broken => Err(broken()),
        }
    }

    /// Flushes, and under TLS tells the peer the connection ends (`close_notify`).
    pub async fn close(&mut self) -> io::Result<()> {
        match self {
            Self::Plain(tcp) => {
                let mut tcp: &TcpStream = (*tcp).borrow();
                tcp.flush().await
            }
            Self::Tls(tls) => {
                tls.connection.send_close_notify();
                tls.send_records().await
            }
            Self::Broken => Ok(()),
        }
    }
}

fn broken() -> io::Error {
    io::Error::new(
        io::ErrorKind::NotConnected,
        "the connection broke in its TLS handshake",
    )
}

impl<S: Borrow<TcpStream>> Tls<S> {
    async fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        loop {
            match self.connection.reader().read(buffer) {
                Ok(read) => return Ok(read),
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    if !self.receive_records().await? {
                        // Closed without close_notify: no more data either way.
                        return Ok(0);
                    }
                    // Key updates and alerts rustls wants to answer.
                    self.send_records().await?;
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Writes every record rustls has ready to the socket.
    async fn send_records(&mut self) -> io::Result<()> {
        let mut tcp: &TcpStream = self.tcp.borrow();
        while self.connection.wants_write() {
            let mut records = Vec::new();
            self.connection.write_tls(&mut records)?;
            tcp.write_all(&records).await?;
        }
        Ok(())
    }

    /// Gives rustls the next records, read from the socket when none are left over;
    /// `false` at the end of the stream. One `read_tls` per call: rustls refuses
    /// records while more than 16 KiB of plaintext wait, and callers drain it between
    /// calls. A protocol error is answered with its alert, then returned.
    async fn receive_records(&mut self) -> io::Result<bool> {
        if self.unread.is_empty() {
            let mut tcp: &TcpStream = self.tcp.borrow();
            let read = tcp.read(&mut self.buffer).await?;
            if read == 0 {
                return Ok(false);
            }
            self.unread
                .extend_from_slice(self.buffer.get(..read).unwrap_or_default());
        }
        let mut records = self.unread.as_slice();
        let result = self.connection.read_tls(&mut records);
        let used = self.unread.len() - records.len();
        self.unread.drain(..used);
        result?;
        if let Err(error) = self.connection.process_new_packets() {
            let _ = self.send_records().await;
            return Err(io::Error::new(io::ErrorKind::InvalidData, error));
        }
        Ok(true)
    }
}
