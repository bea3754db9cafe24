//! `gongkai serve` over raw TCP: redirects that stay on the site, no
//! header injection, an oversized request head refused, reload waits
//! capped and freed, and the printed address usable. Each test starts its
//! own server on the loopback (port 0: the system picks a free one, read
//! from the "serving" line) and stops it when done.

use std::io::{BufRead, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::*;

/// Generous: a debug build of a small site, on a busy machine.
const PATIENCE: Duration = Duration::from_secs(120);

/// A running `gongkai serve`, killed and waited for when dropped (also when
/// a test fails), so no process or port is left behind.
struct Server {
    child: Child,
    /// `host:port` as printed.
    addr: String,
    /// Every line it has written to stderr so far.
    lines: mpsc::Receiver<String>,
    first_lines: Vec<String>,
    site: tempfile::TempDir,
}

impl Server {
    fn start(bind: &str) -> Server {
        let site = fixture_site("site-minimal");
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .current_dir(site.path())
            .args(["serve", "--port", "0", "--bind", bind])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        // Reads stderr to its end (so the server never blocks on a full
        // pipe); ends when the server does.
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines() {
                if tx.send(line.unwrap_or_default()).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            addr: String::new(),
            lines,
            first_lines: Vec::new(),
            site,
        };
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = server
                .lines
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("serve did not start: {:?}", server.first_lines));
            server.first_lines.push(line.clone());
            if let Some(rest) = line.strip_prefix("serving http://") {
                server.addr = rest.split('/').next().unwrap().to_string();
                return server;
            }
        }
    }

    /// Sends `raw` on a new connection; returns the whole response.
    fn request(&self, raw: &[u8]) -> String {
        let mut s = self.connect();
        s.write_all(raw).unwrap();
        read_all(&mut s)
    }

    fn get(&self, target: &str) -> String {
        self.request(format!("GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(PATIENCE)).unwrap();
        s
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_all(s: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn status(response: &str) -> &str {
    response.split(' ').nth(1).unwrap_or("")
}

fn header<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    let head = response.split("\r\n\r\n").next()?;
    head.lines().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[test]
fn a_folder_without_its_slash_redirects_to_a_path_on_this_server() {
    let server = Server::start("127.0.0.1");
    let r = server.get("/sports-plan");
    assert_eq!(status(&r), "301", "{r}");
    assert_eq!(header(&r, "Location"), Some("/sports-plan/"));
    // `//host` would be another server to a browser: the Location is made
    // from the path the request resolves to, never from the request.
    for target in [
        "//sports-plan",
        "///sports-plan",
        "//sports-plan?next=//evil.example",
    ] {
        let r = server.get(target);
        assert_eq!(status(&r), "301", "{target}: {r}");
        assert_eq!(header(&r, "Location"), Some("/sports-plan/"), "{target}");
    }
    assert_eq!(
        status(&server.get("http://evil.example/sports-plan")),
        "400"
    );
    assert_eq!(status(&server.get("/sports-plan/")), "200");
}

#[test]
fn control_characters_never_reach_a_header() {
    let server = Server::start("127.0.0.1");
    for target in [
        "/sports-plan%0d%0aSet-Cookie:%20a=1",
        "/sports-plan%0aLocation:%20//evil.example",
        "/sports-plan%00",
    ] {
        let r = server.get(target);
        assert_eq!(status(&r), "400", "{target}: {r}");
        assert!(header(&r, "Set-Cookie").is_none() && header(&r, "Location").is_none());
    }
}

#[test]
fn an_oversized_request_head_is_refused() {
    let server = Server::start("127.0.0.1");
    // 300 KB of header: the server stops reading at 64 KiB and answers.
    let mut s = server.connect();
    let writer = {
        let mut s = s.try_clone().unwrap();
        std::thread::spawn(move || {
            let mut raw = b"GET / HTTP/1.1\r\nX-Filler: ".to_vec();
            raw.extend(std::iter::repeat_n(b'a', 300_000));
            raw.extend_from_slice(b"\r\n\r\n");
            let _ = s.write_all(&raw);
        })
    };
    let r = read_all(&mut s);
    assert_eq!(status(&r), "431", "{r}");
    let _ = writer.join();
    // And the server goes on serving.
    assert_eq!(status(&server.get("/")), "200");
    assert_eq!(status(&server.request(b"POST / HTTP/1.1\r\n\r\n")), "405");
    assert_eq!(status(&server.request(b"nonsense\r\n\r\n")), "400");
}

/// Opens a reload wait for a version after `seen`; a thread reads its
/// answer and sends (index, status) when it comes.
fn open_wait(
    server: &Server,
    seen: u64,
    i: usize,
    tx: &mpsc::Sender<(usize, String)>,
) -> TcpStream {
    let mut s = server.connect();
    s.write_all(format!("GET /__gongkai/wait?v={seen} HTTP/1.1\r\n\r\n").as_bytes())
        .unwrap();
    let mut reader = s.try_clone().unwrap();
    let tx = tx.clone();
    std::thread::spawn(move || {
        let r = read_all(&mut reader);
        let _ = tx.send((i, status(&r).to_string()));
    });
    s
}

#[test]
fn reload_waits_are_capped_and_a_closed_page_frees_its_place() {
    let server = Server::start("127.0.0.1");
    let (tx, rx) = mpsc::channel();
    // 72 pages wait for a change: 64 are held, 8 are told to come back.
    let held: Vec<TcpStream> = (0..72).map(|i| open_wait(&server, 1, i, &tx)).collect();
    let mut busy = 0;
    while busy < 8 {
        let (_, code) = rx.recv_timeout(PATIENCE).expect("8 waits answered 503");
        assert_eq!(code, "503", "a wait beyond the 64th");
        busy += 1;
    }
    // The 64 held ones close: their places come free, and a new wait is
    // held rather than refused. (A closed page is noticed within a quarter
    // of a second; this only waits for it, however long it takes.)
    // (Shut down, not just dropped: the reading threads hold clones.)
    for s in held {
        s.shutdown(std::net::Shutdown::Both).unwrap();
    }
    let deadline = Instant::now() + PATIENCE;
    let (tx2, rx2) = mpsc::channel();
    let mut probe = 0;
    let _kept = loop {
        assert!(
            Instant::now() < deadline,
            "the closed waits' places never came free"
        );
        let s = open_wait(&server, 1, probe, &tx2);
        probe += 1;
        match rx2.recv_timeout(Duration::from_millis(500)) {
            Ok((_, code)) => assert_eq!(code, "503"),
            Err(_) => break s, // held: no answer until the site changes
        }
    };
    // An edit answers the held wait with the new version.
    edit(
        server.site.path(),
        "content/sports-plan/c1-s1.md",
        "全县共有",
        "全县现有",
    );
    let (_, code) = rx2
        .recv_timeout(PATIENCE)
        .expect("the held wait is answered");
    assert_eq!(code, "200");
}

#[test]
fn the_address_of_an_ipv6_server_is_printed_in_brackets() {
    let server = Server::start("::1");
    assert!(server.addr.starts_with("[::1]:"), "{}", server.addr);
    assert_eq!(status(&server.get("/")), "200");
    // The loopback is not warned about.
    assert!(
        !server.first_lines.iter().any(|l| l.starts_with("warning")),
        "{:?}",
        server.first_lines
    );
}
