#!/usr/bin/env python3
"""Write the seed corpus of fuzz_ics_dest (FastTransfer upload streams,
[MS-OXCFXICS] 2.2.4): byte 0 chooses the root (0 messageList, 1
folderContent, 2 topFolder, 3 messageContent) and the piece sizes, byte 1
seeds them, the rest is the stream."""
import os
import struct
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus', 'fuzz_ics_dest')

StartTopFld, EndFolder, StartSubFld = 0x40090003, 0x400B0003, 0x400A0003
StartMessage, EndMessage, StartFAIMsg = 0x400C0003, 0x400D0003, 0x40100003
StartEmbed, EndEmbed, StartRecip, EndToRecip = 0x40010003, 0x40020003, 0x40030003, 0x40040003
NewAttach, EndAttach = 0x40000003, 0x400E0003
FXDelProp = 0x40160003
PSETID_Common = bytes.fromhex('0820060000000000c000000000000046')


def m(tag):
    return struct.pack('<I', tag)


def i32(tag, v):
    return struct.pack('<II', tag, v)


def s(tag, text, name=None):
    b = (text + '\0').encode('utf-16-le')
    return struct.pack('<I', tag) + (name or b'') + struct.pack('<I', len(b)) + b


def b(tag, data):
    return struct.pack('<II', tag, len(data)) + data


def message_content(subject):
    out = s(0x0037001F, subject) + s(0x1000001F, 'body ' * 20)
    out += s(0x8000001F, 'named', PSETID_Common + b'\x00' + struct.pack('<I', 0x8580))
    out += s(0x8001001F, 'by name', PSETID_Common + b'\x01' + 'Keywords\0'.encode('utf-16-le'))
    out += i32(FXDelProp, 0x0E12000D)
    out += m(StartRecip) + i32(0x30000003, 0) + i32(0x0C150003, 1) + s(0x3001001F, 'Bob')
    out += m(EndToRecip)
    out += i32(FXDelProp, 0x0E13000D)
    out += m(NewAttach) + i32(0x0E210003, 0) + i32(0x37050003, 1) + b(0x37010102, bytes(range(32)))
    out += m(EndAttach)
    out += m(NewAttach) + i32(0x0E210003, 1) + i32(0x37050003, 5) + m(StartEmbed)
    out += s(0x0037001F, 'inner') + m(EndEmbed) + m(EndAttach)
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    msg = m(StartMessage) + message_content('seed') + m(EndMessage)
    fai = m(StartFAIMsg) + s(0x0037001F, 'fai') + m(EndMessage)
    seeds = {
        'message_list': bytes([0x28, 7]) + msg + fai,
        'folder_content': bytes([0x29, 3]) + s(0x3004001F, 'comment') +
        i32(FXDelProp, 0x360F000D) + msg + i32(FXDelProp, 0x3610000D) + fai +
        i32(FXDelProp, 0x360E000D) + m(StartSubFld) + s(0x3001001F, 'sub') + m(EndFolder),
        'top_folder': bytes([0x32, 9]) + m(StartTopFld) + s(0x3001001F, 'top') + msg +
        m(StartSubFld) + s(0x3001001F, 'child') + fai + m(EndFolder) + m(EndFolder),
        'message_content': bytes([0x1B, 1]) + message_content('content'),
        'corrupt': bytes([0x08, 5]) + msg[:40] + m(EndFolder) + msg[40:],
        'cut': bytes([0x00, 2]) + msg[:-9],
    }
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), 'wb') as f:
            f.write(data)
    return 0


if __name__ == '__main__':
    sys.exit(main())
