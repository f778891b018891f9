# [MS-OXOABKT] address creation template: an Internet (SMTP) address,
# English. Listed in NspiGetSpecialTable's address creation table
# (NspiAddressCreationTemplates) and served by NspiGetTemplateInfo for its
# DN. The client builds the one-off address from the two edits.
template smtp
display-type 0x102
address-type SMTP
title "Internet Address"

page "New Internet Address"
label     12  80  12  12 "&Display name:"
edit      96 264  10  14 editable,required PidTagDisplayName 256 "*"
label     12  80  36  12 "&E-mail address:"
edit      96 264  34  14 editable,required PidTagEmailAddress 256 "[~ ]"
