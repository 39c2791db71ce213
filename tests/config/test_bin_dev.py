"""bin/dev, the README's first command: a busy port is said before anything else happens."""

import os
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_busy_port_stops_bin_dev_before_it_seeds_and_says_how_to_pick_another(tmp_path):
    database = tmp_path / "demo.sqlite3"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [ROOT / "bin" / "dev"],
            env={**os.environ, "PORT": str(port), "DATABASE_URL": f"sqlite:///{database}"},
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert result.returncode != 0
    assert f"Port {port} is already in use" in result.stderr
    assert "PORT=8001 bin/dev" in result.stderr
    assert "Hearth is running" not in result.stdout
    assert not database.exists()  # nothing was migrated or seeded
