# [MS-OXOABKT] display template: mail user (DT_MAILUSER), English.
# Served for every locale ([MS-OXNSPI] 3.1.4.1.18). Geometry in pixels of
# the display area (2.2.2.1.2); every edit is bound to a property the
# server serves (doc/nspi.md); "editable" where NspiModProps accepts it.
template mailuser
display-type 0

page "General"
groupbox   6 360   4 102 "Name"
label     12  44  18  12 "&First:"
edit      58  94  16  14 - PidTagGivenName 64 "*"
label    160  36  18  12 "I&nitials:"
edit     198  28  16  14 - PidTagInitials 6 "*"
label    232  26  18  12 "&Last:"
edit     260 100  16  14 - PidTagSurname 64 "*"
label     12  44  38  12 "&Display:"
edit      58 140  36  14 - PidTagDisplayName 256 "*"
label    204  30  38  12 "Al&ias:"
edit     236 124  36  14 - PidTagAccount 64 "*"
label     12  44  58  12 "Add&ress:"
edit      58 140  56  28 editable,multiline PidTagStreetAddress 1024 "*"
label    204  40  58  12 "&Title:"
edit     246 114  56  14 - PidTagTitle 64 "*"
label    204  40  76  12 "Co&mpany:"
edit     246 114  74  14 - PidTagCompanyName 64 "*"
label     12  44  90  12 "&City:"
edit      58 140  88  14 editable PidTagLocality 128 "*"
groupbox   6 360 110  92 "Location"
label     12  44 124  12 "&State:"
edit      58 140 122  14 editable PidTagStateOrProvince 128 "*"
label     12  44 144  12 "&Zip code:"
edit      58 140 142  14 editable PidTagPostalCode 40 "*"
label     12  44 164  12 "C&ountry:"
edit      58 140 162  14 editable PidTagCountry 128 "*"
label    204  40 124  12 "D&epartment:"
edit     246 114 122  14 - PidTagDepartmentName 64 "*"
label    204  40 144  12 "&Office:"
edit     246 114 142  14 - PidTagOfficeLocation 128 "*"
label    204  40 164  12 "Assista&nt:"
edit     246 114 162  14 - PidTagAssistant 256 "*"
label    204  40 184  12 "&Phone:"
edit     246 114 182  14 editable PidTagBusinessTelephoneNumber 64 "*"

page "Phone/Notes"
groupbox   6 360   4  96 "Phone numbers"
label     12  60  18  12 "&Business:"
edit      76 120  16  14 editable PidTagBusinessTelephoneNumber 64 "*"
label     12  60  38  12 "&Home:"
edit      76 120  36  14 editable PidTagHomeTelephoneNumber 64 "*"
label     12  60  58  12 "&Mobile:"
edit      76 120  56  14 editable PidTagMobileTelephoneNumber 64 "*"
label    204  40  18  12 "&Pager:"
edit     246 114  16  14 editable PidTagPagerTelephoneNumber 64 "*"
label    204  40  38  12 "&Fax:"
edit     246 114  36  14 editable PidTagBusinessFaxNumber 64 "*"
label     12  60 110  12 "No&tes:"
edit      12 348 124  76 multiline PidTagComment 1024 "*"

page "Organization"
label     12  80   8  12 "&Manager:"
edit      12 348  22  14 - PidTagAddressBookManagerDistinguishedName 1024 "*"
label     12  80  44  12 "&Direct reports:"
listbox   12 348  58 140 PidTagAddressBookReports

page "Member Of"
label     12 120   8  12 "&Group membership:"
listbox   12 348  22 176 PidTagAddressBookIsMemberOfDistributionList

page "E-mail Addresses"
label     12 120   8  12 "&E-mail addresses:"
mvlistbox 12 348  22 176 PidTagAddressBookProxyAddresses
