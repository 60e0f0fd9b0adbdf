# Homebrew formula: builds the published crate from source, so it works on every Mac and Linux that
# Homebrew runs on. At each release, set `url` to the new version and `sha256` to
#   curl -sL <url> | shasum -a 256
class RunwayGauge < Formula
  desc "How much AI-coding quota is left, in your shell prompt, tmux status bar and Claude Code"
  homepage "https://crates.io/crates/runway-gauge"
  url "https://static.crates.io/crates/runway-gauge/runway-gauge-0.1.0.crate"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  license "MIT"

  depends_on "rust" => :build

  def install
    system "cargo", "install", *std_cargo_args
    # The tmux plugin, for `run-shell #{opt_pkgshare}/runway.tmux` in ~/.tmux.conf.
    pkgshare.install "runway.tmux", "tmux"
  end

  test do
    assert_match "runway #{version}", shell_output("#{bin}/runway --version")
    assert_match "Claude Code", shell_output("#{bin}/runway demo --color never")
  end
end
