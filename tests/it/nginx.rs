//! The portal on a real web server: deploy/nginx.conf serves every page and
//! asset with the right type, and unknown paths with the 404 page.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::*;
use gongkai::render::{self, BuildOptions};

fn nginx() -> Option<&'static str> {
    ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
}

/// GET over HTTP/1.0 (a plain body); `gzip` asks for compression.
fn get_with(port: u16, path: &str, gzip: bool) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let enc = if gzip {
        "Accept-Encoding: gzip\r\n"
    } else {
        ""
    };
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\n{enc}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head, raw[split + 4..].to_vec())
}

fn get(port: u16, path: &str) -> (u16, String, Vec<u8>) {
    get_with(port, path, true)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn nginx_serves_every_page_and_asset() {
    let Some(nginx) = nginx() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install nginx (.ci/run)"
        );
        eprintln!("skipped: nginx is not installed (apt-get install nginx)");
        return;
    };
    let site = repo_site();
    render::build(&BuildOptions::new(site.path())).unwrap();
    let public = site.path().join("public");
    let files = read_tree(&public);

    let port = free_port();
    let conf_dir = tempfile::tempdir().unwrap();
    let server = std::fs::read_to_string(repo().join("deploy/nginx.conf"))
        .unwrap()
        .replace(
            "listen       80;",
            &format!("listen       127.0.0.1:{port};"),
        )
        .replace("/srv/gongkai/public", public.to_str().unwrap());
    std::fs::write(conf_dir.path().join("gongkai.conf"), server).unwrap();
    let prefix = conf_dir.path();
    let main = format!(
        "daemon off;\nworker_processes 1;\npid {p}/nginx.pid;\nerror_log {p}/error.log;\nevents {{ worker_connections 64; }}\n\
         http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  access_log off;\n\
         client_body_temp_path {p}/body; proxy_temp_path {p}/proxy; fastcgi_temp_path {p}/fastcgi; uwsgi_temp_path {p}/uwsgi; scgi_temp_path {p}/scgi;\n\
         include {p}/gongkai.conf;\n}}\n",
        p = prefix.display()
    );
    std::fs::write(prefix.join("nginx.conf"), main).unwrap();
    // nginx in a process group of its own, so that its worker goes with it.
    let child = {
        use std::os::unix::process::CommandExt;
        Command::new(nginx)
            .args([
                "-p",
                prefix.to_str().unwrap(),
                "-c",
                prefix.join("nginx.conf").to_str().unwrap(),
            ])
            .process_group(0)
            .spawn()
            .unwrap()
    };
    let group = child.id() as i32;
    let mut server = Nginx(child);
    let t = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = server.0.try_wait().unwrap() {
            panic!(
                "nginx exited: {status}: {}",
                std::fs::read_to_string(prefix.join("error.log")).unwrap_or_default()
            );
        }
        assert!(t.elapsed() < Duration::from_secs(10), "nginx did not start");
        std::thread::sleep(Duration::from_millis(50));
    }

    // 404.html is served only as the error page (`internal`); hidden files
    // (the output marker) not at all.
    for path in files
        .keys()
        .filter(|p| *p != "404.html" && !p.starts_with('.'))
    {
        let (status, head, _) = get(port, &format!("/{path}"));
        assert_eq!(status, 200, "/{path}");
        let want = match path.rsplit('.').next().unwrap() {
            "html" => "content-type: text/html; charset=utf-8",
            "css" => "content-type: text/css; charset=utf-8",
            "js" => "content-type: application/javascript; charset=utf-8",
            "xml" if path.ends_with("feed.xml") => {
                "content-type: application/atom+xml; charset=utf-8"
            }
            "xml" => "content-type: text/xml; charset=utf-8",
            "txt" => "content-type: text/plain; charset=utf-8",
            "svg" => "content-type: image/svg+xml",
            other => panic!("unexpected file type {other}"),
        };
        assert!(head.contains(want), "/{path}: {head}");
    }
    // Folder addresses serve their index.html.
    let (status, _, _) = get(port, "/jian-education-plan/c1-s1/");
    assert_eq!(status, 200);
    let (_, head, _) = get(port, "/static/style.css?v=1");
    assert!(
        head.contains("cache-control: public, max-age=31536000, immutable"),
        "{head}"
    );
    assert!(head.contains("content-encoding: gzip"), "{head}");
    let (status, _, body) = get_with(port, "/no/such/page/", false);
    assert_eq!(status, 404);
    assert_eq!(body, files["404.html"]);
    let (status, _, _) = get(port, "/.gongkai-output");
    assert_eq!(status, 404);

    // Stopped, nginx leaves no process behind (its worker included).
    drop(server);
    assert_eq!(processes_in_group(group), Vec::<String>::new());
}

/// nginx, stopped gracefully (SIGQUIT, as `nginx -s quit`) and waited for;
/// whatever of its process group remains after 10 s is killed.
struct Nginx(std::process::Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let group = self.0.id() as i32;
        // SAFETY: plain system calls on our own child's process group.
        unsafe { libc::kill(-group, libc::SIGQUIT) };
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(10) {
            if self.0.try_wait().ok().flatten().is_some() && processes_in_group(group).is_empty() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        unsafe { libc::kill(-group, libc::SIGKILL) };
        let _ = self.0.wait();
    }
}

/// Processes (pid and name) whose process group is `group`, from /proc.
fn processes_in_group(group: i32) -> Vec<String> {
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid pgrp …: comm may hold spaces, so split after ')'.
        let Some((head, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        // A zombie has exited: it holds no port and no file.
        if fields.first() == Some(&"Z") {
            continue;
        }
        if fields.get(2).and_then(|g| g.parse::<i32>().ok()) == Some(group) {
            found.push(head.to_string() + ")");
        }
    }
    found
}
