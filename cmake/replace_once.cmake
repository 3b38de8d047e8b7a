# Script mode helper of authd_replace_once: OUT is IN with the one occurrence of FROM replaced by TO.
file(READ ${IN} text)
string(FIND "${text}" "${FROM}" first)
string(FIND "${text}" "${FROM}" last REVERSE)
if(first EQUAL -1 OR NOT first EQUAL last)
  message(FATAL_ERROR "replace_once: '${FROM}' is not in ${IN} exactly once; look at the new version")
endif()
string(REPLACE "${FROM}" "${TO}" text "${text}")
file(WRITE ${OUT} "${text}")
