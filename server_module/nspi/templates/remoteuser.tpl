# [MS-OXOABKT] display template: contact / remote mail user
# (DT_REMOTE_MAILUSER), English.
template remoteuser
display-type 6

page "General"
groupbox   6 360   4  62 "Name"
label     12  44  18  12 "&First:"
edit      58  94  16  14 - PidTagGivenName 64 "*"
label    160  36  18  12 "I&nitials:"
edit     198  28  16  14 - PidTagInitials 6 "*"
label    232  26  18  12 "&Last:"
edit     260 100  16  14 - PidTagSurname 64 "*"
label     12  44  38  12 "&Display:"
edit      58 302  36  14 - PidTagDisplayName 256 "*"
label     12  60  74  12 "E-&mail:"
edit      76 284  72  14 - PidTagSmtpAddress 1024 "*"
label     12  60  94  12 "&Company:"
edit      76 284  92  14 - PidTagCompanyName 64 "*"
label     12  60 114  12 "&Title:"
edit      76 284 112  14 - PidTagTitle 64 "*"
label     12  60 134  12 "&Phone:"
edit      76 284 132  14 - PidTagBusinessTelephoneNumber 64 "*"
label     12  60 154  12 "No&tes:"
edit      12 348 168  40 multiline PidTagComment 1024 "*"

page "E-mail Addresses"
label     12 120   8  12 "&E-mail addresses:"
mvlistbox 12 348  22 176 PidTagAddressBookProxyAddresses
