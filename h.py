import socket, time, sys
sys.path.insert(0, "/work/main/tests/broker"); sys.path.insert(0, "/work/main/tests/interop")
import brokerhelpers as b
pid=int(sys.argv[1])
r=b.Raw(18999)
r.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
r.connect("f", keepalive=0)
chunk=b.packet(b.PINGREQ,0,b"")*32768
r.sock.settimeout(0.5)
sent=0; blocked=0
while blocked<3:
    try: sent+=r.sock.send(chunk); blocked=0
    except socket.timeout: blocked+=1
port=r.sock.getsockname()[1]
def unread():
    for line in open("/proc/net/tcp").read().splitlines()[1:]:
        f=line.split()
        if f[1]=="0100007F:%04X"%18999 and f[2]=="0100007F:%04X"%port: return int(f[4].split(":")[1],16), f[3]
for i in range(8):
    cpu=open(f"/proc/{pid}/stat").read().split()[13]
    print(sent, unread(), "utime", cpu); time.sleep(1)
