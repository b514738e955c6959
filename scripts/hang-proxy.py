#!/usr/bin/env python3
"""A loopback TCP proxy that can be made to hang, for scripts/bench-hang.sh.

Usage: hang-proxy.py LISTEN_PORT TARGET_PORT

Forwards every connection on 127.0.0.1:LISTEN_PORT to 127.0.0.1:TARGET_PORT
until it gets SIGUSR1; from then on it keeps every connection open, reads and
drops what clients send and forwards nothing either way, as a hung node or
proxy whose kernel still acknowledges every packet. SIGTERM ends it.
"""
import select
import signal
import socket
import sys
import threading

hung = threading.Event()


def pump(client, server):
    sockets = [client] + ([server] if server else [])
    while True:
        readable, _, _ = select.select(sockets, [], [], 0.2)
        if hung.is_set() and server in sockets:
            sockets.remove(server)  # leave the server's bytes unread
            continue
        for s in readable:
            data = s.recv(65536)
            if hung.is_set():
                if not data and s is client:
                    sockets.remove(client)
                continue
            if not data:
                client.close()
                server.close()
                return
            (server if s is client else client).sendall(data)


def main():
    listen_port, target_port = int(sys.argv[1]), int(sys.argv[2])
    signal.signal(signal.SIGUSR1, lambda *_: hung.set())
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", listen_port))
    listener.listen(64)
    print("listening", flush=True)
    while True:
        client, _ = listener.accept()
        if hung.is_set():
            threading.Thread(target=pump, args=(client, None), daemon=True).start()
            continue
        server = socket.create_connection(("127.0.0.1", target_port))
        threading.Thread(target=pump, args=(client, server), daemon=True).start()


if __name__ == "__main__":
    main()
