# [MS-OXOABKT] display template: distribution list (DT_DISTLIST), English.
# The button bound to PidTagAddressBookManageDistributionList lets the
# client edit the members ([MS-OXOABKT] 2.2.2.1.3.6); the change is an
# NspiModLinkAtt on PidTagAddressBookMember, which AD's ACLs allow to the
# list's manager.
template distlist
display-type 1

page "General"
label     12  60   8  12 "&Display name:"
edit      76 284   6  14 - PidTagDisplayName 256 "*"
label     12  60  28  12 "Al&ias:"
edit      76 284  26  14 - PidTagAccount 64 "*"
label     12  60  48  12 "&Owner:"
edit      76 284  46  14 - PidTagAddressBookManagerDistinguishedName 1024 "*"
label     12  60  68  12 "&Members:"
listbox   12 348  82  96 PidTagAddressBookMember
button   250 110 182  16 PidTagAddressBookManageDistributionList "Modify me&mbers..."
label     12  60 204  12 "No&tes:"
edit      12 348 218  40 multiline PidTagComment 1024 "*"

page "Member Of"
label     12 120   8  12 "&Group membership:"
listbox   12 348  22 176 PidTagAddressBookIsMemberOfDistributionList

page "E-mail Addresses"
label     12 120   8  12 "&E-mail addresses:"
mvlistbox 12 348  22 176 PidTagAddressBookProxyAddresses
