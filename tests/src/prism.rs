//! The Prism mock server (npm `@stoplight/prism-cli`), installed into `target/prism` on first
//! use and started on loopback. Prism checks every request against the spec it serves and logs
//! each violation.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The Prism release the contract tests run.
pub const PRISM_VERSION: &str = "5.14.2";

/// A running Prism, stopped on drop.
pub struct Prism {
    child: Child,
    port: u16,
    log: PathBuf,
}

/// The Prism executable, installed with npm the first time.
pub fn prism_executable() -> PathBuf {
    static INSTALLED: OnceLock<PathBuf> = OnceLock::new();
    INSTALLED
        .get_or_init(|| {
            let dir = crate::workspace_root().join("target").join("prism");
            let executable = dir.join("node_modules").join(".bin").join("prism");
            let wanted = dir.join(format!("installed-{PRISM_VERSION}"));
            if executable.exists() && wanted.exists() {
                return executable;
            }
            std::fs::create_dir_all(&dir).expect("create target/prism");
            let package = format!("@stoplight/prism-cli@{PRISM_VERSION}");
            let status = Command::new("npm")
                .args([
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--loglevel=error",
                    "--prefix",
                ])
                .arg(&dir)
                .arg(&package)
                .status()
                .unwrap_or_else(|e| {
                    panic!(
                        "the contract tests need Node.js and npm to install Prism \
                         (`npm install {package}`), but npm could not be run: {e}"
                    )
                });
            assert!(
                status.success() && executable.exists(),
                "`npm install {package}` into {} failed ({status}); the contract tests need it",
                dir.display()
            );
            std::fs::write(&wanted, "").expect("mark the Prism install");
            executable
        })
        .clone()
}

impl Prism {
    /// Starts `prism mock SPEC` on a free loopback port and waits until it listens.
    pub fn start(spec: &Path) -> Prism {
        let executable = prism_executable();
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let log =
            std::env::temp_dir().join(format!("apigen-prism-{}-{port}.log", std::process::id()));
        let log_file = std::fs::File::create(&log).expect("create the Prism log");
        let child = Command::new(executable)
            .args([
                "mock",
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--errors",
            ])
            .arg(spec)
            .stdout(Stdio::from(log_file.try_clone().expect("log handle")))
            .stderr(Stdio::from(log_file))
            .spawn()
            .expect("start Prism");
        let mut prism = Prism { child, port, log };
        let deadline = Instant::now() + Duration::from_secs(90);
        while !prism.log().contains("Prism is listening") {
            if let Ok(Some(status)) = prism.child.try_wait() {
                panic!("Prism exited ({status}) before listening:\n{}", prism.log());
            }
            assert!(
                Instant::now() < deadline,
                "Prism did not start within 90 s:\n{}",
                prism.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(
            TcpStream::connect(("127.0.0.1", port)).is_ok(),
            "Prism does not accept connections"
        );
        prism
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Everything Prism has logged so far.
    pub fn log(&self) -> String {
        let mut text = String::new();
        if let Ok(mut file) = std::fs::File::open(&self.log) {
            let _ = file.read_to_string(&mut text);
        }
        text
    }

    /// The lines of `log` in which Prism reports a request that breaks the spec.
    pub fn violations(log: &str) -> Vec<String> {
        log.lines()
            .filter(|line| line.contains("✖") || line.contains("Violation"))
            .map(str::to_owned)
            .collect()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}
