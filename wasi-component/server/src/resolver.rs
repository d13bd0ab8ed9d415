//! DNS lookups for routing and SPF: the core's query bytes sent to the configured resolver over
//! UDP (`wasi:sockets/udp`), and over TCP (RFC 7766) when the answer is truncated. A
//! lookup that gets no usable answer is [`Answer::Failure`]: a temporary failure, never
//! "no records". Answers are kept in a small cache for their TTL (RFC 1035 §3.2.1,
//! RFC 2308 for negative ones): a message's SPF, DKIM and DMARC checks, and the next
//! message from the same domain, ask many of the same names.

use std::cell::RefCell;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use wasip2::sockets::instance_network::instance_network;
use wasip2::sockets::network::{
    IpAddressFamily, IpSocketAddress, Ipv4SocketAddress, Ipv6SocketAddress,
};
use wasip2::sockets::udp::OutgoingDatagram;
use wasip2::sockets::udp_create_socket::create_udp_socket;
use wasmtp_core::route::dns::{DnsError, decode_name, query_name, time_to_live};
use wasmtp_core::route::{Answer, Question, RecordKind};
use wasmtp_wasi::clock::now;
use wasmtp_wasi::net::TcpStream;
use wstd::future::FutureExt as _;
use wstd::io::{AsyncRead, AsyncWrite};
use wstd::runtime::Reactor;

/// How long one try waits for its answer, and how many tries.
const TRY_TIMEOUT: Duration = Duration::from_secs(2);
const TRIES: usize = 3;

/// Asks `resolver` the routing question.
pub async fn lookup(resolver: SocketAddr, question: &Question) -> Answer {
    lookup_name(resolver, &question.owner_name(), question.kind).await
}

/// Asks `resolver` for the `kind` records of `owner` (any name: SPF asks for names such
/// as `_spf.example.com`), from the cache while its answer lasts.
pub async fn lookup_name(resolver: SocketAddr, owner: &str, kind: RecordKind) -> Answer {
    let key = (owner.to_ascii_lowercase(), kind);
    let at = now().as_millis() / 1000;
    if let Some(answer) = CACHE.with(|cache| cache.borrow_mut().get(&key, at)) {
        return answer;
    }
    let (answer, ttl) = ask(resolver, owner, kind).await;
    if let Some(ttl) = ttl
        && answer != Answer::Failure
    {
        CACHE.with(|cache| cache.borrow_mut().put(key, answer.clone(), at, ttl));
    }
    answer
}

/// The question over UDP (TCP when truncated), [`TRIES`] times at most; the answer and
/// how long it may be kept.
async fn ask(resolver: SocketAddr, owner: &str, kind: RecordKind) -> (Answer, Option<u32>) {
    for _ in 0..TRIES {
        let id = (wasip2::random::random::get_random_u64() & 0xffff) as u16;
        let Ok(bytes) = query_name(owner, kind, id) else {
            return (Answer::Failure, None);
        };
        let response = match udp_exchange(resolver, &bytes)
            .timeout(wstd::time::Duration::from(TRY_TIMEOUT))
            .await
        {
            Ok(Some(response)) => response,
            Ok(None) | Err(_) => continue,
        };
        match decode_name(&response, owner, kind, id) {
            Ok(answer) => return (answer, time_to_live(&response)),
            Err(DnsError::Truncated) => {
                if let Some(found) = tcp_lookup(resolver, owner, kind).await {
                    return found;
                }
            }
            // A stray or spoofed datagram: ask again.
            Err(_) => {}
        }
    }
    (Answer::Failure, None)
}

/// At most this many answers are kept, and none longer than an hour.
const CACHE_ENTRIES: usize = 1024;
const CACHE_MAX_SECONDS: u64 = 3600;

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

/// Answers by name and type, each with the second it expires.
#[derive(Default)]
struct Cache {
    entries: HashMap<(String, RecordKind), (Answer, u64)>,
}

impl Cache {
    fn get(&mut self, key: &(String, RecordKind), now: u64) -> Option<Answer> {
        match self.entries.get(key) {
            Some((answer, expires)) if *expires > now => Some(answer.clone()),
            Some(_) => {
                self.entries.remove(key);
                None
            }
            None => None,
        }
    }

    /// Keeps `answer` for `ttl` seconds (none for 0); when full, the expired entries
    /// go, and if none had, the one expiring first.
    fn put(&mut self, key: (String, RecordKind), answer: Answer, now: u64, ttl: u32) {
        if ttl == 0 {
            return;
        }
        if self.entries.len() >= CACHE_ENTRIES {
            self.entries.retain(|_, (_, expires)| *expires > now);
        }
        if self.entries.len() >= CACHE_ENTRIES {
            let soonest = (self.entries.iter())
                .min_by_key(|(_, (_, expires))| *expires)
                .map(|(key, _)| key.clone());
            if let Some(soonest) = soonest {
                self.entries.remove(&soonest);
            }
        }
        let expires = now + u64::from(ttl).min(CACHE_MAX_SECONDS);
        self.entries.insert(key, (answer, expires));
    }
}

fn socket_address(address: SocketAddr) -> IpSocketAddress {
    match address.ip() {
        IpAddr::V4(v4) => {
            let [a, b, c, d] = v4.octets();
            IpSocketAddress::Ipv4(Ipv4SocketAddress {
                port: address.port(),
                address: (a, b, c, d),
            })
        }
        IpAddr::V6(v6) => {
            let [a, b, c, d, e, f, g, h] = v6.segments();
            IpSocketAddress::Ipv6(Ipv6SocketAddress {
                port: address.port(),
                flow_info: 0,
                address: (a, b, c, d, e, f, g, h),
                scope_id: 0,
            })
        }
    }
}

/// One datagram out, the first datagram back.
async fn udp_exchange(resolver: SocketAddr, bytes: &[u8]) -> Option<Vec<u8>> {
    let reactor = Reactor::current();
    let (family, any) = match resolver.ip() {
        IpAddr::V4(_) => (IpAddressFamily::Ipv4, SocketAddr::from(([0, 0, 0, 0], 0))),
        IpAddr::V6(_) => (IpAddressFamily::Ipv6, SocketAddr::from(([0u16; 8], 0))),
    };
    let socket = create_udp_socket(family).ok()?;
    socket
        .start_bind(&instance_network(), socket_address(any))
        .ok()?;
    reactor.schedule(socket.subscribe()).wait_for().await;
    socket.finish_bind().ok()?;
    let (incoming, outgoing) = socket.stream(Some(socket_address(resolver))).ok()?;
    loop {
        if outgoing.check_send().ok()? > 0 {
            break;
        }
        reactor.schedule(outgoing.subscribe()).wait_for().await;
    }
    let datagram = OutgoingDatagram {
        data: bytes.to_vec(),
        remote_address: None,
    };
    outgoing.send(&[datagram]).ok()?;
    loop {
        if let Some(datagram) = incoming.receive(1).ok()?.into_iter().next() {
            return Some(datagram.data);
        }
        reactor.schedule(incoming.subscribe()).wait_for().await;
    }
}

/// The same question over TCP, each message preceded by its 2-octet length.
async fn tcp_lookup(
    resolver: SocketAddr,
    owner: &str,
    kind: RecordKind,
) -> Option<(Answer, Option<u32>)> {
    let id = (wasip2::random::random::get_random_u64() & 0xffff) as u16;
    let bytes = query_name(owner, kind, id).ok()?;
    let exchange = async {
        let stream = TcpStream::connect(resolver).await.ok()?;
        let (mut reader, mut writer) = (&stream, &stream);
        let length = u16::try_from(bytes.len()).ok()?.to_be_bytes();
        writer.write_all(&length).await.ok()?;
        writer.write_all(&bytes).await.ok()?;
        writer.flush().await.ok()?;
        let mut length = [0u8; 2];
        read_exact(&mut reader, &mut length).await?;
        let mut response = vec![0; usize::from(u16::from_be_bytes(length))];
        read_exact(&mut reader, &mut response).await?;
        let answer = decode_name(&response, owner, kind, id).ok()?;
        Some((answer, time_to_live(&response)))
    };
    exchange
        .timeout(wstd::time::Duration::from(TRY_TIMEOUT))
        .await
        .ok()
        .flatten()
}

async fn read_exact(reader: &mut impl AsyncRead, buffer: &mut [u8]) -> Option<()> {
    let mut filled = 0;
    while filled < buffer.len() {
        let read = reader.read(buffer.get_mut(filled..)?).await.ok()?;
        if read == 0 {
            return None;
        }
        filled += read;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmtp_core::route::Record;

    fn key(name: &str) -> (String, RecordKind) {
        (name.to_owned(), RecordKind::Txt)
    }

    #[test]
    fn answers_last_their_ttl_capped_and_a_full_cache_drops_the_soonest() {
        let mut cache = Cache::default();
        let answer = Answer::Records(vec![Record::Txt(b"v=spf1 -all".to_vec())]);
        cache.put(key("a.test"), answer.clone(), 100, 60);
        assert_eq!(cache.get(&key("a.test"), 159), Some(answer.clone()));
        assert_eq!(cache.get(&key("a.test"), 160), None, "expired");
        cache.put(key("zero.test"), Answer::NxDomain, 100, 0);
        assert_eq!(cache.get(&key("zero.test"), 100), None, "TTL 0 is not kept");
        cache.put(key("long.test"), Answer::NoData, 0, u32::MAX);
        assert_eq!(
            cache.get(&key("long.test"), CACHE_MAX_SECONDS),
            None,
            "at most an hour"
        );
        for n in 0..CACHE_ENTRIES {
            cache.put(key(&format!("{n}.test")), Answer::NoData, 0, 10 + n as u32);
        }
        assert_eq!(cache.entries.len(), CACHE_ENTRIES);
        cache.put(key("new.test"), Answer::NoData, 0, 3000);
        assert_eq!(cache.entries.len(), CACHE_ENTRIES);
        assert_eq!(
            cache.get(&key("0.test"), 1),
            None,
            "the soonest to expire went"
        );
        assert_eq!(cache.get(&key("new.test"), 1), Some(Answer::NoData));
    }
}
