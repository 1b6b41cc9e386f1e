"""The running server as an attacker meets it: a websocket from another host name is refused."""

import socket

import pytest
import websockets.sync.client as websocket

pytestmark = pytest.mark.e2e


def connects(server, host):
    """Whether the server accepts a websocket whose Host and Origin name `host`."""
    sock = socket.create_connection(("127.0.0.1", server.port))
    url = f"ws://{host}:{server.port}/_stcore/stream"
    try:
        with websocket.connect(
            url, sock=sock, origin=f"http://{host}:{server.port}", subprotocols=["streamlit"]
        ):
            return True
    except websocket.InvalidStatus as refused:
        assert refused.response.status_code == 403
        return False


def test_a_websocket_naming_another_host_is_refused(server):
    assert connects(server, "127.0.0.1") and connects(server, "localhost")
    assert not connects(server, "evil.example")  # DNS rebinding: the name resolves here
    assert not connects(server, "127.0.0.1.evil.example")
